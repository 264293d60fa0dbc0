"""The book's shopping graphs (ch05/buy_apple.py and buy_apple_orange.py), run on given layer classes and held
to the numbers the book prints, step by step, so a failure names the first node that goes wrong.

A check of one layer builds the graph from the submission's class for that layer and the reference's for the
other, so a bug in AddLayer cannot cost points under MulLayer or the other way round.
"""
from backprop_grader.diagnose import expect_close, expect_pair

APPLE, APPLE_NUM, ORANGE, ORANGE_NUM, TAX, DPRICE = 100, 2, 150, 3, 1.1, 1


def two_apples(mul_layer, hint=None):
    """Two apples of 100 with a tax of 1.1: price 220, dapple 2.2, dapple_num 110, dtax 200.

    hint: the check's advice when a gradient is wrong (a wrong price is a forward mistake).
    """
    inputs = {"apple": APPLE, "apple_num": APPLE_NUM, "tax": TAX, "dprice": DPRICE}
    mul_apple, mul_tax = mul_layer(), mul_layer()
    apple_price = _step(mul_apple.forward(APPLE, APPLE_NUM), 200.0, "apple_price", inputs)
    _step(mul_tax.forward(apple_price, TAX), 220.0, "price", inputs)
    dapple_price, dtax = expect_pair(mul_tax.backward(DPRICE), "mul_tax_layer.backward(dprice)", inputs)
    _step(dtax, 200.0, "dtax", inputs, hint)
    _step(dapple_price, 1.1, "dapple_price", inputs, hint)
    dapple, dapple_num = expect_pair(mul_apple.backward(dapple_price), "mul_apple_layer.backward(dapple_price)", inputs)
    _step(dapple, 2.2, "dapple", inputs, hint)
    _step(dapple_num, 110.0, "dapple_num", inputs, hint)


def apples_and_oranges(mul_layer, add_layer, hint=None):
    """Two apples of 100 and three oranges of 150 with a tax of 1.1: price 715, dapple_num 110, dapple 2.2,
    dorange 3.3, dorange_num 165, dtax 650."""
    inputs = {"apple": APPLE, "apple_num": APPLE_NUM, "orange": ORANGE, "orange_num": ORANGE_NUM, "tax": TAX, "dprice": DPRICE}
    mul_apple, mul_orange, add_fruit, mul_tax = mul_layer(), mul_layer(), add_layer(), mul_layer()
    apple_price = _step(mul_apple.forward(APPLE, APPLE_NUM), 200.0, "apple_price", inputs)
    orange_price = _step(mul_orange.forward(ORANGE, ORANGE_NUM), 450.0, "orange_price", inputs)
    all_price = _step(add_fruit.forward(apple_price, orange_price), 650.0, "all_price", inputs)
    _step(mul_tax.forward(all_price, TAX), 715.0, "price", inputs)
    dall_price, dtax = expect_pair(mul_tax.backward(DPRICE), "mul_tax_layer.backward(dprice)", inputs)
    _step(dtax, 650.0, "dtax", inputs, hint)
    what = "add_apple_orange_layer.backward(dall_price)"
    dapple_price, dorange_price = expect_pair(add_fruit.backward(_step(dall_price, 1.1, "dall_price", inputs, hint)), what, inputs)
    what = "mul_orange_layer.backward(dorange_price)"
    dorange, dorange_num = expect_pair(mul_orange.backward(_step(dorange_price, 1.1, "dorange_price", inputs, hint)), what, inputs)
    what = "mul_apple_layer.backward(dapple_price)"
    dapple, dapple_num = expect_pair(mul_apple.backward(_step(dapple_price, 1.1, "dapple_price", inputs, hint)), what, inputs)
    _step(dapple_num, 110.0, "dapple_num", inputs, hint)
    _step(dapple, 2.2, "dapple", inputs, hint)
    _step(dorange, 3.3, "dorange", inputs, hint)
    _step(dorange_num, 165.0, "dorange_num", inputs, hint)


def _step(got, printed, name, inputs, hint=None):
    expect_close(got, printed, name, inputs=inputs, hint=hint)
    return got

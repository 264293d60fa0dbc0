"""The book's shopping graphs (ch05/buy_apple.py and buy_apple_orange.py), run on given layer classes and held
to the numbers the book prints, step by step, so a failure names the first node that goes wrong.

A check of one layer builds the graph from the submission's class for that layer and the reference's for the
other, so a bug in AddLayer cannot cost points under MulLayer or the other way round. The layer under test
comes with its backward's known mistakes (mul_mistakes(x, y, dout) or add_mistakes(dout): (hint key, (dx, dy))
or (hint key, value) pairs as its own checks list them), so that a gradient the graph gets wrong is named by
the mistake that gives it at that node. Every node before the first wrong one is right, so a node's inputs are
the book's numbers.
"""
from backprop_grader.diagnose import expect_close, expect_pair

APPLE, APPLE_NUM, ORANGE, ORANGE_NUM, TAX, DPRICE = 100, 2, 150, 3, 1.1, 1


def two_apples(mul_layer, mul_mistakes):
    """Two apples of 100 with a tax of 1.1: price 220, dapple 2.2, dapple_num 110, dtax 200."""
    inputs = {"apple": APPLE, "apple_num": APPLE_NUM, "tax": TAX, "dprice": DPRICE}
    mul_apple, mul_tax = mul_layer(), mul_layer()
    apple_price = _step(mul_apple.forward(APPLE, APPLE_NUM), 200.0, "apple_price", inputs)
    _step(mul_tax.forward(apple_price, TAX), 220.0, "price", inputs)
    dapple_price, dtax = expect_pair(mul_tax.backward(DPRICE), "mul_tax_layer.backward(dprice)", inputs)
    tax_node = _node_mistakes(mul_mistakes(200.0, TAX, DPRICE))
    _step(dtax, 200.0, "dtax", inputs, tax_node[1])
    _step(dapple_price, 1.1, "dapple_price", inputs, tax_node[0])
    dapple, dapple_num = expect_pair(mul_apple.backward(dapple_price), "mul_apple_layer.backward(dapple_price)", inputs)
    apple_node = _node_mistakes(mul_mistakes(APPLE, APPLE_NUM, 1.1))
    _step(dapple, 2.2, "dapple", inputs, apple_node[0])
    _step(dapple_num, 110.0, "dapple_num", inputs, apple_node[1])


def apples_and_oranges(mul_layer, add_layer, mul_mistakes=None, add_mistakes=None):
    """Two apples of 100 and three oranges of 150 with a tax of 1.1: price 715, dapple_num 110, dapple 2.2,
    dorange 3.3, dorange_num 165, dtax 650. The mistakes given are those of the layer under test."""
    mul_node = (lambda x, y, dout: _node_mistakes(mul_mistakes(x, y, dout))) if mul_mistakes else (lambda *_: (None, None))
    add_node = _node_mistakes([(key, (wrong, wrong)) for key, wrong in add_mistakes(1.1)]) if add_mistakes else (None, None)
    inputs = {"apple": APPLE, "apple_num": APPLE_NUM, "orange": ORANGE, "orange_num": ORANGE_NUM, "tax": TAX, "dprice": DPRICE}
    mul_apple, mul_orange, add_fruit, mul_tax = mul_layer(), mul_layer(), add_layer(), mul_layer()
    apple_price = _step(mul_apple.forward(APPLE, APPLE_NUM), 200.0, "apple_price", inputs)
    orange_price = _step(mul_orange.forward(ORANGE, ORANGE_NUM), 450.0, "orange_price", inputs)
    all_price = _step(add_fruit.forward(apple_price, orange_price), 650.0, "all_price", inputs)
    _step(mul_tax.forward(all_price, TAX), 715.0, "price", inputs)
    dall_price, dtax = expect_pair(mul_tax.backward(DPRICE), "mul_tax_layer.backward(dprice)", inputs)
    tax_node = mul_node(650.0, TAX, DPRICE)
    _step(dtax, 650.0, "dtax", inputs, tax_node[1])
    what = "add_apple_orange_layer.backward(dall_price)"
    dall_price = _step(dall_price, 1.1, "dall_price", inputs, tax_node[0])
    dapple_price, dorange_price = expect_pair(add_fruit.backward(dall_price), what, inputs)
    what = "mul_orange_layer.backward(dorange_price)"
    dorange, dorange_num = expect_pair(mul_orange.backward(_step(dorange_price, 1.1, "dorange_price", inputs, add_node[1])), what, inputs)
    what = "mul_apple_layer.backward(dapple_price)"
    dapple, dapple_num = expect_pair(mul_apple.backward(_step(dapple_price, 1.1, "dapple_price", inputs, add_node[0])), what, inputs)
    apple_node, orange_node = mul_node(APPLE, APPLE_NUM, 1.1), mul_node(ORANGE, ORANGE_NUM, 1.1)
    _step(dapple_num, 110.0, "dapple_num", inputs, apple_node[1])
    _step(dapple, 2.2, "dapple", inputs, apple_node[0])
    _step(dorange, 3.3, "dorange", inputs, orange_node[0])
    _step(dorange_num, 165.0, "dorange_num", inputs, orange_node[1])


def _node_mistakes(pairs):
    """A node's (hint key, (dx, dy)) mistakes split into those of its first output and those of its second."""
    return [(key, wrong[0]) for key, wrong in pairs], [(key, wrong[1]) for key, wrong in pairs]


def _step(got, printed, name, inputs, mistakes=None):
    expect_close(got, printed, name, inputs=inputs, mistakes=mistakes)
    return got

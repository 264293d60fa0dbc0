"""The chapter-5 template: the book's API with empty bodies, copied by `backprop-grader init`."""

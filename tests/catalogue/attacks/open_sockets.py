"""Relu asks a helper for its answers over the network: on this machine (loopback, any of a few ports) and
outside it; it computes nothing itself, so it scores only if a connection is made."""
LAYER = "Relu"

import socket  # noqa: E402

_PLACES = [("127.0.0.1", port) for port in (22, 80, 443, 5000, 8000, 8080)] + [("8.8.8.8", 53), ("1.1.1.1", 443)]


def _connected():
    for place in _PLACES:
        try:
            with socket.create_connection(place, timeout=0.2):
                return True
        except OSError:
            pass
    return False


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        if not _connected():
            raise NotImplementedError("Relu.forward is not implemented yet")
        return super().forward(x)

    def backward(self, dout):
        if not _connected():
            raise NotImplementedError("Relu.backward is not implemented yet")
        return super().backward(dout)

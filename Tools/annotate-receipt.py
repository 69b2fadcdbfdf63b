#!/usr/bin/env python3
"""Prints a binary receipt (.civr) field by field: offset, bytes and meaning, following docs/receipts.md and
docs/encoding.md only. It decodes; it verifies nothing. docs/receipts.md's decoded example is its output for
docs/vectors/receipts/secp256k1-sha256/certificate-valid.civr:

    Tools/annotate-receipt.py docs/vectors/receipts/secp256k1-sha256/certificate-valid.civr
"""
import sys


class Reader:
    def __init__(self, data):
        self.data, self.at, self.depth = data, 0, 0

    def take(self, count, meaning):
        if self.at + count > len(self.data):
            sys.exit(f"truncated at {self.at}: {meaning} needs {count} bytes")
        chunk = self.data[self.at:self.at + count]
        text = chunk.hex()
        if len(text) > 40:
            text = f"{text[:16]}…{text[-8:]}"
        print(f"{self.at:6d}  {text:<42} {'  ' * self.depth}{meaning}")
        self.at += count
        return chunk

    def uint(self, width, meaning):
        return int.from_bytes(self.take(width, meaning), "big")

    def string(self, meaning):
        length = int.from_bytes(self.data[self.at:self.at + 4], "big")
        value = self.data[self.at + 4:self.at + 4 + length].decode("utf-8")
        self.take(4 + length, f'{meaning}: string "{value}"' if length < 40 else f"{meaning}: string of {length}")
        return value

    def bytestring(self, meaning):
        length = int.from_bytes(self.data[self.at:self.at + 4], "big")
        return self.take(4 + length, f"{meaning}: byte string of {length}")

    def digest(self, meaning):
        return self.take(32, meaning)

    def optional(self, meaning):
        present = self.uint(1, f"{meaning}: {'present' if self.data[self.at] == 1 else 'none'}")
        return present == 1

    def group(self, meaning, read):
        print(f"{'':6}  {'':<42} {'  ' * self.depth}{meaning}:")
        self.depth += 1
        value = read()
        self.depth -= 1
        return value

    def array(self, meaning, element):
        count = self.uint(4, f"{meaning}: count")
        for index in range(count):
            self.group(f"{meaning} [{index}]", element)


def header(r):
    r.uint(1, "format version")
    r.string("chain id")
    r.uint(8, "height")
    r.uint(8, "time (seconds since 1970)")
    for name in ["previous block hash", "transactions root"]:
        r.digest(name)
    r.uint(4, "transaction count")
    for name in ["state root", "results root", "evidence root", "validator set hash", "next validator set hash",
                 "last commit hash"]:
        r.digest(name)
    r.string("proposer")


def commit(r):
    r.uint(8, "height")
    r.uint(4, "round")
    r.digest("block hash")
    r.array("signature", lambda: (r.uint(2, "validator index"), r.take(64, "signature r ‖ s")))


def validator_set(r):
    r.array("validator", lambda: (r.string("id"), r.uint(8, "power"), r.bytestring("consensus key")))


def hand_off(r):
    r.group("header", lambda: header(r))
    r.group("commit certificate", lambda: commit(r))
    r.group("next validator set", lambda: validator_set(r))


def certificate_ref(r):
    r.string("issuer")
    r.digest("key")


def record(r):
    r.digest("document commitment")
    r.uint(1, "kind (1 marriage, 2 divorce, 3 decision)")
    r.string("issuer")

    def event():
        r.uint(1, "status (1 valid, 2 revoked, 3 superseded, 4 corrected)")
        r.string("by")
        r.uint(8, "height")
        r.string("reason")
        if r.optional("replacement"):
            certificate_ref(r)

    r.array("history event", event)


def state_proof(r):
    r.digest("key")
    count = r.uint(4, "siblings: count")
    for index in range(count):
        r.digest(f"sibling {index} (from the root down)")
    if r.uint(1, "terminal: 00 empty subtree, 01 leaf") == 1:
        r.digest("leaf key")
        r.digest("value hash")


def inclusion(r):
    r.uint(8, "leaf index")
    r.uint(8, "tree size")
    count = r.uint(4, "path: count")
    for index in range(count):
        r.digest(f"path hash {index}")


def payload(r):
    tag = r.uint(1, "payload tag")
    if tag == 1:
        certificate_ref(r)
        r.digest("document commitment")
        r.uint(1, "kind")
    elif tag == 2:
        certificate_ref(r)
        r.uint(1, "new status")
        r.string("reason")
        if r.optional("replacement"):
            certificate_ref(r)
    elif tag == 3:
        r.digest("Merkle root")
        r.uint(4, "leaf count")
        r.string("label")
    else:
        sys.exit(f"payload tag {tag}: not annotated here (docs/encoding.md, 'Transactions')")


def transaction_evidence(r):
    def signed():
        r.uint(1, "transaction version")
        r.string("chain id")
        r.bytestring("sender public key")
        r.uint(8, "sequence")
        payload(r)
        r.take(64, "signature r ‖ s")

    r.group("signed transaction", signed)
    r.group("result", lambda: (r.string("code"), r.string("message")))
    r.group("transaction inclusion proof", lambda: inclusion(r))
    r.group("result inclusion proof", lambda: inclusion(r))
    r.group("header", lambda: header(r))
    r.group("commit certificate", lambda: commit(r))


def main(path):
    r = Reader(open(path, "rb").read())
    r.take(4, 'magic "CIVR"')
    r.uint(2, "format version")
    if r.optional("base checkpoint"):
        r.uint(8, "checkpoint height")
        r.digest("checkpoint header hash")
    kind = r.uint(1, "kind (1 certificate, 2 transaction, 3 batch, 4 document)")
    if kind != 1:
        sys.exit("only certificate receipts are annotated here")
    r.group("subject", lambda: certificate_ref(r))
    if r.optional("record"):
        r.group("record", lambda: record(r))
    r.group("state proof", lambda: state_proof(r))
    r.group("header", lambda: header(r))
    r.group("commit certificate", lambda: commit(r))
    r.array("hand-off", lambda: hand_off(r))
    if r.optional("transaction evidence"):
        r.group("transaction evidence", lambda: transaction_evidence(r))
    if r.at != len(r.data):
        sys.exit(f"{len(r.data) - r.at} bytes left over: not a receipt")
    print(f"{r.at:6d}  end ({r.at} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])

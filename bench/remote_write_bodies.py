#!/usr/bin/env python3
"""Request bodies for bench/remote_write_side_by_side.sh: the same samples as
Opzenix's seed ingest body (JSON) and as a Prometheus remote-write request
(snappy-compressed protobuf prometheus.WriteRequest), one file of bodies per
client connection.

  remote_write_bodies.py KIND OUT_DIR CONNECTIONS REQUESTS SAMPLES PROJECT BASE_MS

KIND is `opz` or `prom`. Connection c's request k carries SAMPLES samples, one
per series of that connection (metric_0 .. metric_{SAMPLES-1}; for Prometheus
labelled conn="c" and project_id, for Opzenix named c<c>_metric_<j> in the
project), all stamped BASE_MS + k * 10 ms: every request adds new samples to
existing series, in order on its connection. Values are the same in both.
With OPZ_SHARED_NAMES=1 the Opzenix bodies of every connection use the same
names metric_0 .. metric_{SAMPLES-1} (fewer distinct series than Prometheus
gets, which could not take them from concurrent connections in order).
Each file, OUT_DIR/KIND_<c>.bodies, is a sequence of records "<8-digit length>
<body>" that the wrk script reads.

The protobuf is hand-encoded (WriteRequest{1: TimeSeries{1: Label{1 name, 2
value}, 2: Sample{1 double value, 2 int64 timestamp}}}); snappy is Debian's
libsnappy (libsnappy1v5) through ctypes, checked by a round trip.
"""
import ctypes
import ctypes.util
import datetime
import json
import os
import random
import struct
import sys


def load_snappy():
    name = ctypes.util.find_library("snappy") or "libsnappy.so.1"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        sys.exit("libsnappy is missing: apt-get install libsnappy1v5 (scripts/install-deps.sh --bench)")
    lib.snappy_max_compressed_length.restype = ctypes.c_size_t
    lib.snappy_max_compressed_length.argtypes = [ctypes.c_size_t]
    return lib


SNAPPY = load_snappy()


def snappy_compress(data: bytes) -> bytes:
    out_len = ctypes.c_size_t(SNAPPY.snappy_max_compressed_length(len(data)))
    out = ctypes.create_string_buffer(out_len.value)
    rc = SNAPPY.snappy_compress(data, ctypes.c_size_t(len(data)), out, ctypes.byref(out_len))
    if rc != 0:
        sys.exit(f"snappy_compress failed: {rc}")
    compressed = out.raw[: out_len.value]
    back_len = ctypes.c_size_t(len(data))
    back = ctypes.create_string_buffer(len(data))
    rc = SNAPPY.snappy_uncompress(compressed, ctypes.c_size_t(len(compressed)), back,
                                  ctypes.byref(back_len))
    if rc != 0 or back.raw[: back_len.value] != data:
        sys.exit("snappy round trip failed")
    return compressed


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_bytes(number: int, payload: bytes) -> bytes:  # wire type 2
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def label(name: str, value: str) -> bytes:
    return field_bytes(1, name.encode()) + field_bytes(2, value.encode())


def sample(value: float, ts_ms: int) -> bytes:
    return varint(1 << 3 | 1) + struct.pack("<d", value) + varint(2 << 3 | 0) + varint(ts_ms)


def write_request(conn: int, project: str, values, ts_ms: int) -> bytes:
    body = bytearray()
    for j, v in enumerate(values):
        # Labels sorted by name, as Prometheus expects them.
        series = (field_bytes(1, label("__name__", f"metric_{j}")) +
                  field_bytes(1, label("conn", str(conn))) +
                  field_bytes(1, label("project_id", project)) +
                  field_bytes(2, sample(v, ts_ms)))
        body += field_bytes(1, series)
    return snappy_compress(bytes(body))


def seed_body(conn: int, project: str, values, ts_ms: int) -> bytes:
    prefix = "" if os.environ.get("OPZ_SHARED_NAMES") == "1" else f"c{conn}_"
    ts = datetime.datetime.fromtimestamp(ts_ms / 1000, datetime.timezone.utc)
    return json.dumps({
        "project_id": project,
        "ts": ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts_ms % 1000:03d}Z",
        "samples": [{"metric": f"{prefix}metric_{j}", "value": v} for j, v in enumerate(values)],
    }, separators=(",", ":")).encode()


def main():
    if len(sys.argv) != 8 or sys.argv[1] not in ("opz", "prom"):
        sys.exit(__doc__)
    kind, out_dir = sys.argv[1], sys.argv[2]
    conns, requests, samples = (int(a) for a in sys.argv[3:6])
    project, base_ms = sys.argv[6], int(sys.argv[7])
    encode = write_request if kind == "prom" else seed_body
    for c in range(conns):
        rng = random.Random(c)  # the same values for both kinds
        with open(os.path.join(out_dir, f"{kind}_{c}.bodies"), "wb") as f:
            for k in range(requests):
                values = [round(rng.uniform(0, 100), 3) for _ in range(samples)]
                body = encode(c, project, values, base_ms + k * 10)
                f.write(b"%08d" % len(body) + body)


if __name__ == "__main__":
    main()

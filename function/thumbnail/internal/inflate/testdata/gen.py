# Writes zlib-strategies.bin: zlib streams made by zlib itself with every
# strategy (fixed codes only, run-length, Huffman only, filtered, default),
# each a 4-byte big-endian length then the stream. Run: python3 gen.py
import zlib, random
random.seed(17)
text = b"".join(random.choice([b"the ", b"quick ", b"brown ", b"fox ", b"jumps\n", b"over ", bytes([random.randrange(256)])]) for _ in range(3000))
ramp = bytes((x*y)&255 for y in range(32) for x in range(200))
out = bytearray()
for strat in (zlib.Z_FIXED, zlib.Z_RLE, zlib.Z_HUFFMAN_ONLY, zlib.Z_FILTERED, zlib.Z_DEFAULT_STRATEGY):
    for data in (b"", b"a", text[:100], text, ramp):
        for level in (0, 1, 6, 9):
            if level == 0 and strat != zlib.Z_DEFAULT_STRATEGY:
                continue
            c = zlib.compressobj(level, zlib.DEFLATED, 15, 9, strat)
            z = c.compress(data) + c.flush()
            out += len(z).to_bytes(4, "big") + z
open("zlib-strategies.bin", "wb").write(out)

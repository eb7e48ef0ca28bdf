import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c } from './crc32c.ts';

// Reference: bit-at-a-time CRC-32C, the definition itself.
function reference(buf: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of buf) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

test('the standard check value: crc32c("123456789") = 0xe3069283', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
});

test('every length and alignment up to 80 bytes matches the bit-at-a-time definition', () => {
  const data = Buffer.alloc(200);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919 + 13) & 0xff;
  for (let start = 0; start < 8; start++) {
    for (let len = 0; len <= 80; len++) {
      const view = data.subarray(start, start + len);
      assert.equal(crc32c(view), reference(view), `start ${start} len ${len}`);
      assert.equal(crc32c(data, start, start + len), reference(view), `range ${start}+${len}`);
    }
  }
});

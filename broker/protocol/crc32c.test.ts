import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { CRC_NATIVE_MIN, crc32c, crc32cImplementation, crc32cJs } from './crc32c.ts';

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

test('the CPU-instruction addon and the JavaScript loop agree on every length and alignment across the threshold', () => {
  const data = Buffer.alloc(CRC_NATIVE_MIN * 4 + 64);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  for (let start = 0; start < 8; start++) {
    for (let len = CRC_NATIVE_MIN - 8; len <= CRC_NATIVE_MIN * 4; len += 7) {
      const view = data.subarray(start, start + len);
      const expected = crc32cJs(view);
      assert.equal(crc32c(view), expected, `view ${start}+${len}`);
      assert.equal(crc32c(data, start, start + len), expected, `range ${start}+${len}`);
    }
  }
  assert.equal(crc32c(data), reference(data));
});

test('on linux-x64 the addon is the one in use; SAMSA_CRC32C=js turns it off', { skip: `${process.platform}-${process.arch}` !== 'linux-x64' && 'the addon is checked on linux-x64 only' }, () => {
  assert.equal(crc32cImplementation, 'native');
  const probe = `import { crc32cImplementation } from ${JSON.stringify(new URL('./crc32c.ts', import.meta.url).href)}; console.log(crc32cImplementation);`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { env: { ...process.env, SAMSA_CRC32C: 'js' }, encoding: 'utf8' });
  assert.equal(out.trim(), 'js');
});

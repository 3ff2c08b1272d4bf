// Atomic writes leave either the complete new file or the old one, and no temp files behind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../../../main/library/atomic-write.js';
import { tempFolder } from '../../support/temp-home.js';

describe('writeFileAtomic', () => {
  let tmp: ReturnType<typeof tempFolder>;
  beforeEach(() => {
    tmp = tempFolder('atomic');
  });
  afterEach(() => tmp.remove());

  it('writes new files and replaces existing ones, leaving only the target', async () => {
    const target = path.join(tmp.path, 'a.bin');
    await writeFileAtomic(target, Buffer.from([1, 2, 3]));
    expect([...fs.readFileSync(target)]).toEqual([1, 2, 3]);
    await writeFileAtomic(target, 'replaced');
    writeFileAtomicSync(path.join(tmp.path, 'b.txt'), 'sync');
    expect(fs.readFileSync(target, 'utf8')).toBe('replaced');
    expect(fs.readFileSync(path.join(tmp.path, 'b.txt'), 'utf8')).toBe('sync');
    expect(fs.readdirSync(tmp.path).sort()).toEqual(['a.bin', 'b.txt']);
  });

  it('keeps the old file and removes the temp file when the rename fails', async () => {
    // A folder in the target's place makes the final rename fail after the temp file is complete.
    const target = path.join(tmp.path, 'taken');
    fs.mkdirSync(path.join(target, 'child'), { recursive: true });
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect(() => writeFileAtomicSync(target, 'data')).toThrow();
    expect(fs.readdirSync(tmp.path)).toEqual(['taken']);
    expect(fs.readdirSync(target)).toEqual(['child']);
  });

  it('fails cleanly when the folder does not exist', async () => {
    await expect(writeFileAtomic(path.join(tmp.path, 'missing', 'x'), 'data')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(fs.readdirSync(tmp.path)).toEqual([]);
  });
});

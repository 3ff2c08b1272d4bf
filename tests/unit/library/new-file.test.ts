// Exports claim their names through the file system: writes at once under one name give as many files, none replaced.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimNewFile, claimNewFolder, writeNewFile } from '../../../main/library/new-file.js';
import { tempFolder } from '../../support/temp-home.js';

describe('writeNewFile', () => {
  let tmp: ReturnType<typeof tempFolder>;
  beforeEach(() => {
    tmp = tempFolder('new-file');
  });
  afterEach(() => tmp.remove());

  it('gives 24 writes of portrait.png at once 24 files, each with its own bytes, and replaces nothing', async () => {
    const preferred = path.join(tmp.path, 'portrait.png');
    fs.writeFileSync(path.join(tmp.path, 'portrait-3.png'), 'kept');
    const payloads = Array.from({ length: 24 }, (_, i) => Buffer.from(`picture ${i} `.repeat(1000 + i)));
    const written = await Promise.all(payloads.map((data) => writeNewFile(preferred, data)));

    expect(new Set(written).size).toBe(24);
    written.forEach((file, i) => expect(fs.readFileSync(file).equals(payloads[i]!)).toBe(true));
    expect(fs.readFileSync(path.join(tmp.path, 'portrait-3.png'), 'utf8')).toBe('kept');
    expect(written).not.toContain(path.join(tmp.path, 'portrait-3.png'));
    const names = fs.readdirSync(tmp.path).sort();
    expect(names).toHaveLength(25); // no temp files left behind
    expect(names).toContain('portrait.png');
    expect(names).toContain('portrait-25.png');
  });

  it('claims files and folders exclusively, each claim a new name', async () => {
    const files = await Promise.all(Array.from({ length: 10 }, () => claimNewFile(path.join(tmp.path, 'model-1.onnx'))));
    expect(new Set(files).size).toBe(10);
    expect(files).toContain(path.join(tmp.path, 'model-1-10.onnx'));
    const folders = await Promise.all(Array.from({ length: 10 }, () => claimNewFolder(path.join(tmp.path, 'out', 'model-1-tfjs'))));
    expect(new Set(folders).size).toBe(10);
    for (const folder of folders) expect(fs.statSync(folder).isDirectory()).toBe(true);
  });
});

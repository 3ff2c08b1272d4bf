// A file the user names that is not JSON (their /etc/passwd, a key) is refused saying where, never quoting a byte of
// it: JSON.parse's own message would ("Unexpected token 'r', "root:x:0:0"... is not valid JSON").
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readModelJson } from '../../../main/model-files/model-folder.js';
import { parseUntrustedJson } from '../../../main/model-files/untrusted-json.js';
import { tempDir } from '../../support/temp-home.js';

const SECRET = 'hunter2-9d41';

describe('parseUntrustedJson', () => {
  it.each([
    ['passwd-like text', `root:x:0:0:${SECRET}:/root:/bin/bash\n`, 'line 1, column 1'],
    ['a bad token on line 3', `{\n  "a": 1,\n  "b": ${SECRET}\n}`, 'line 3, column 8'],
    ['trailing text', `{"a": 1} ${SECRET}`, 'line 1, column 10'],
    ['a cut-off file', `{"a": "${SECRET}`, 'it ends before the JSON does'],
    ['an empty file', '  \n', 'it is empty'],
  ])('says where %s goes wrong without quoting it', (_, text, problem) => {
    expect(JSON.stringify(parseUntrustedJson(text))).not.toContain(SECRET.slice(0, 7));
    expect(parseUntrustedJson(text)).toEqual({ ok: false, problem });
  });

  it('parses JSON', () => {
    expect(parseUntrustedJson('{"a": [1, "x"]}')).toEqual({ ok: true, value: { a: [1, 'x'] } });
  });
});

describe('model.json of a folder the user names', () => {
  let home: Awaited<ReturnType<typeof tempDir>>;
  afterEach(async () => {
    await home.remove();
  });

  it('is refused as not JSON without a byte of it in the message', async () => {
    home = await tempDir();
    const folder = path.join(home.dir, 'not-a-model');
    await mkdir(folder);
    await writeFile(path.join(folder, 'model.json'), `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRET}\n`);
    const refusal = await readModelJson(folder).catch((err: Error) => err);
    expect(refusal).toMatchObject({ code: 'MODEL_INCOMPATIBLE', message: expect.stringMatching(/model\.json is not valid JSON \(line 1, column 2\)$/) }); // '-' then '-': not a number
    expect((refusal as Error).message).not.toContain(SECRET);
    expect((refusal as Error).message).not.toContain('OPENSSH');
  });
});

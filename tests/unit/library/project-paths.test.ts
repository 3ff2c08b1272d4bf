// Stored paths resolve only inside their project folder, whatever the path or the links on disk say.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirInLiveProject, resolveInsideProject } from '../../../main/library/project-paths.js';
import { openLibraryFixture } from './library-fixture.js';
import { tempFolder } from '../../support/temp-home.js';

describe('resolveInsideProject', () => {
  let tmp: ReturnType<typeof tempFolder>;
  let project: string;
  beforeEach(() => {
    tmp = tempFolder('paths');
    project = path.join(tmp.path, 'project');
    fs.mkdirSync(path.join(project, 'assets'), { recursive: true });
    fs.mkdirSync(path.join(tmp.path, 'outside'));
  });
  afterEach(() => tmp.remove());

  const code = (rel: string) => {
    try {
      resolveInsideProject(project, rel);
      return 'ok';
    } catch (err) {
      return (err as { code: string }).code;
    }
  };

  it('resolves paths inside, existing or not yet written', () => {
    expect(resolveInsideProject(project, 'assets/ab/abc.png')).toBe(path.join(project, 'assets/ab/abc.png'));
    expect(resolveInsideProject(project, 'assets/../thumbs/x.webp')).toBe(path.join(project, 'thumbs/x.webp'));
  });

  it('refuses absolute paths and .. escapes', () => {
    expect(code('../x')).toBe('PATH_OUTSIDE_PROJECT');
    expect(code('/etc/passwd')).toBe('PATH_OUTSIDE_PROJECT');
    expect(code('assets/../../outside/x')).toBe('PATH_OUTSIDE_PROJECT');
    expect(code('..')).toBe('PATH_OUTSIDE_PROJECT');
    expect(code('assets/\0x')).toBe('PATH_OUTSIDE_PROJECT');
    // a sibling whose name merely starts with the project's name is outside too
    fs.mkdirSync(`${project}-evil`);
    expect(code('../project-evil/x')).toBe('PATH_OUTSIDE_PROJECT');
  });

  it('refuses symlinks that lead outside, including dangling ones and links in the middle of the path', () => {
    fs.symlinkSync(path.join(tmp.path, 'outside'), path.join(project, 'assets', 'escape'));
    fs.writeFileSync(path.join(tmp.path, 'outside', 'secret.txt'), 'x');
    fs.symlinkSync('/etc/passwd', path.join(project, 'passwd.png'));
    fs.symlinkSync(path.join(tmp.path, 'outside', 'not-yet.png'), path.join(project, 'dangling.png'));
    expect(code('assets/escape/secret.txt')).toBe('PATH_OUTSIDE_PROJECT');
    expect(code('assets/escape/new/file.png')).toBe('PATH_OUTSIDE_PROJECT');
    expect(code('passwd.png')).toBe('PATH_OUTSIDE_PROJECT');
    expect(code('dangling.png')).toBe('PATH_OUTSIDE_PROJECT');
  });

  it('accepts symlinks that stay inside and a project folder reached through a symlink', () => {
    fs.symlinkSync(path.join(project, 'assets'), path.join(project, 'alias'));
    expect(code('alias/x.png')).toBe('ok');
    const linkedProject = path.join(tmp.path, 'linked');
    fs.symlinkSync(project, linkedProject);
    expect(resolveInsideProject(linkedProject, 'assets/x.png')).toBe(path.join(linkedProject, 'assets/x.png'));
  });
});

describe('mkdirInLiveProject', () => {
  it("refuses to bring back a deleted studio project's folder", async () => {
    const fx = openLibraryFixture();
    try {
      const project = fx.library.createProject('Gone');
      const folder = fx.library.getProject(project.id).folder;
      expect(fx.library.deleteProject(project.id)).toBe(true);
      fs.rmSync(folder, { recursive: true, force: true });
      await expect(mkdirInLiveProject(path.join(folder, 'exports', 'x'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(fs.existsSync(folder)).toBe(false);
    } finally {
      fx.dispose();
    }
  });

  it("creates an artist's own folder that merely looks like …/projects/<digits>-<slug>/…", async () => {
    const tmp = tempFolder('artist');
    try {
      const out = path.join(tmp.path, 'projects', '2025-zine', 'out');
      await mkdirInLiveProject(out);
      expect(fs.statSync(out).isDirectory()).toBe(true);
    } finally {
      tmp.remove();
    }
  });
});

// A studio SIGKILLed in the middle of a folder import: the next start finds every file with its row and every row with
// its files, and the interrupted job's record counts exactly the images it added.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStudio } from '../../../main/studio.js';
import { writeNoiseFolder } from '../../support/images.js';
import { processGone, startStudioProcess } from '../../support/studio-process.js';
import { tempDir } from '../../support/temp-home.js';

describe('a studio killed mid-import', () => {
  let home: Awaited<ReturnType<typeof tempDir>>;

  beforeEach(async () => {
    home = await tempDir();
  });
  afterEach(async () => {
    await home.remove();
  });

  it('leaves no file without a row, no row without a file, and a job record that says how far it got', async () => {
    const images = path.join(home.dir, 'in');
    await writeNoiseFolder(images, 40, 768);
    const library = path.join(home.dir, 'library');
    const child = await startStudioProcess(library);
    const project = await child.call('projects.create', { name: 'Killed' });
    const { jobId } = await child.call('assets.importFolder', { projectId: project.id, path: images });
    await child.next('job.progress', (p) => p.jobId === jobId && p.step >= 5);
    const enginePid = child.enginePid()!;
    await child.kill();
    // The orphaned engine must stop too, or it would go on writing images no row will ever name.
    expect(await processGone(enginePid)).toBe(true);

    const studio = await openStudio({ home: library, startEngine: false });
    try {
      expect(studio.library.integrityCheck()).toBe('ok');
      expect(studio.library.auditFiles()).toEqual({ filesWithoutRows: [], rowsWithoutFiles: [] });
      const job = studio.library.getRun(jobId);
      expect(job.status).toBe('interrupted');
      const result = job.result as { imported: number; duplicates: number; rejected: unknown[] };
      const rows = studio.library.listAssets(project.id, { limit: 100, offset: 0 }).total;
      expect(rows).toBeGreaterThanOrEqual(5);
      expect(rows).toBeLessThan(40);
      expect(result).toMatchObject({ imported: rows, duplicates: 0, rejected: [] });
    } finally {
      await studio.close();
    }
  }, 120_000);
});

// Schema 5: a latent may carry the noise maps it was found with (inversion optimises them too), so the studio can
// draw the inverted image again exactly, not only its w.
import type Database from 'better-sqlite3';

export const version = 5;

export function up(db: Database.Database): void {
  // float32 little-endian, the synthesis layers' noise maps concatenated in layer order; NULL: the model's own.
  db.exec(`ALTER TABLE latents ADD COLUMN noise BLOB`);
}

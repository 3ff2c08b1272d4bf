// A grid of equally sized RGB tiles as one PNG: training sample grids (input | output | target) and contact sheets.
import sharp from 'sharp';

const GAP = 2; // px of grey between tiles
const GREY = 160;

/** rows[r][c]: `size × size × 3` uint8 RGB tiles (HWC); every row has the same number of tiles. */
export async function contactSheet(rows: readonly (readonly Uint8Array[])[], size: number): Promise<Buffer> {
  const columns = rows[0]?.length ?? 0;
  if (columns === 0 || rows.some((r) => r.length !== columns)) throw new RangeError('contact sheet: rows must be non-empty and of equal length');
  const width = columns * size + (columns - 1) * GAP;
  const height = rows.length * size + (rows.length - 1) * GAP;
  const sheet = Buffer.alloc(width * height * 3, GREY);
  rows.forEach((row, r) =>
    row.forEach((tile, c) => {
      if (tile.length !== size * size * 3) throw new RangeError(`contact sheet: tile ${r},${c} is not ${size}×${size} RGB`);
      for (let y = 0; y < size; y++) {
        const target = ((r * (size + GAP) + y) * width + c * (size + GAP)) * 3;
        sheet.set(tile.subarray(y * size * 3, (y + 1) * size * 3), target);
      }
    }),
  );
  return sharp(sheet, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

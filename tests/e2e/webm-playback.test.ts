// The studio's WebM (VP8 key frames from libwebp, muxed by webm-muxer) plays in a real browser: Chromium reads its
// size and duration, and a frame drawn from the video shows the source picture.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWebm } from '../../main/data/animation.js';
import { launchChromium } from './support/studio-app.js';

describe('WebM export in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('plays: 32×32, 8 frames at 8 fps last one second, and the first frame is the red-left / blue-right picture', async () => {
    const frames = Array.from({ length: 8 }, () => {
      const rgb = new Uint8Array(32 * 32 * 3);
      for (let p = 0; p < 32 * 32; p++) rgb.set(p % 32 < 16 ? [220, 30, 30] : [30, 30, 220], p * 3);
      return rgb;
    });
    const webm = await encodeWebm({ frames, width: 32, height: 32, fps: 8 });
    const page = await browser.newPage();
    await page.setContent('<video muted></video>');
    const seen = await page.evaluate(async (b64) => {
      const video = document.querySelector('video')!;
      video.src = `data:video/webm;base64,${b64}`;
      await new Promise<void>((resolve, reject) => {
        video.onloadeddata = () => resolve();
        video.onerror = () => reject(new Error(`video error ${video.error?.code}`));
      });
      // A seek makes the decoder present a frame (loadeddata alone may leave nothing to draw in headless mode).
      await new Promise<void>((resolve) => {
        video.onseeked = () => resolve();
        video.currentTime = 0.05;
      });
      const canvas = document.createElement('canvas');
      canvas.width = 32;
      canvas.height = 32;
      const g = canvas.getContext('2d')!;
      const px = (x: number, y: number) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3));
      // On a loaded machine 'seeked' can come before the decoder has presented the frame, and drawing then gives
      // black: draw again until something is there (or 5 s pass), then judge what it shows.
      for (let tries = 0; tries < 100; tries++) {
        g.drawImage(video, 0, 0);
        if ([...px(4, 16), ...px(28, 16)].some((v) => v > 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { width: video.videoWidth, height: video.videoHeight, duration: video.duration, left: px(4, 16), right: px(28, 16) };
    }, webm.toString('base64'));
    expect(seen.width).toBe(32);
    expect(seen.height).toBe(32);
    expect(seen.duration).toBeGreaterThan(0.8);
    expect(seen.duration).toBeLessThan(1.2);
    expect(seen.left[0]).toBeGreaterThan(150);
    expect(seen.left[2]).toBeLessThan(100);
    expect(seen.right[2]).toBeGreaterThan(150);
    expect(seen.right[0]).toBeLessThan(100);
    await page.close();
  }, 60_000);
});

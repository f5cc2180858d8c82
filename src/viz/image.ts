// Images for `nabla dream`: grayscale PNGs (upscaled with nearest neighbour so pixels stay sharp)
// and a labelled grid of them as SVG (rendered to PNG with resvg by render.ts).
import { PNG } from "pngjs";

/** A grayscale PNG of `h`×`w` values in [0, 1] (clipped), each pixel drawn as a scale×scale block. */
export function grayPng(values: ArrayLike<number>, h: number, w: number, scale = 8): Uint8Array {
  const png = new PNG({ width: w * scale, height: h * scale, colorType: 0 });
  const rgba = png.data; // the PNG's pixel buffer (RGBA), not a tensor's storage
  for (let y = 0; y < h * scale; y++) {
    for (let x = 0; x < w * scale; x++) {
      const v = values[Math.floor(y / scale) * w + Math.floor(x / scale)] ?? 0;
      const g = Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)));
      const o = 4 * (y * w * scale + x);
      rgba[o] = g; rgba[o + 1] = g; rgba[o + 2] = g; rgba[o + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 0 });
}

/** One picture of a grid: PNG bytes, its size, and two lines of caption. */
export interface GridCell {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly subtitle: string;
}

const escape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The cells in rows of `columns`, each captioned, under an optional title: an SVG document. */
export function imageGridSvg(cells: readonly GridCell[], columns: number, title = ""): string {
  const cw = Math.max(...cells.map((c) => c.width), 1), ch = Math.max(...cells.map((c) => c.height), 1);
  const pad = 12, caption = 40, top = title === "" ? pad : 40;
  const rows = Math.ceil(cells.length / columns);
  const W = columns * (cw + pad) + pad, H = top + rows * (ch + caption + pad);
  const parts = cells.map((c, i) => {
    const x = pad + (i % columns) * (cw + pad), y = top + Math.floor(i / columns) * (ch + caption + pad);
    const href = `data:image/png;base64,${Buffer.from(c.png).toString("base64")}`;
    return `<image x="${x}" y="${y}" width="${c.width}" height="${c.height}" href="${href}"/>`
      + `<text x="${x + cw / 2}" y="${y + ch + 17}" text-anchor="middle" font-size="14" font-weight="bold">${escape(c.title)}</text>`
      + `<text x="${x + cw / 2}" y="${y + ch + 34}" text-anchor="middle" font-size="13" fill="#444">${escape(c.subtitle)}</text>`;
  });
  const head = title === "" ? "" : `<text x="${W / 2}" y="26" text-anchor="middle" font-size="17" font-weight="bold">${escape(title)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans"><rect width="100%" height="100%" fill="white"/>${head}${parts.join("")}</svg>`;
}

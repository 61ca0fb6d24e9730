/**
 * A Windows .ico holding PNG images (supported since Windows Vista): a 6-byte header, a 16-byte
 * directory entry per image, then the PNGs. Width and height 0 mean 256.
 */
export interface IconImage {
  size: number;
  png: Buffer;
}

export function encodeIco(images: readonly IconImage[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  const directory = Buffer.alloc(16 * images.length);
  let offset = header.length + directory.length;
  images.forEach((image, index) => {
    if (image.size < 1 || image.size > 256)
      throw new Error(`ICO images are 1 to 256 px, not ${image.size}`);
    const entry = index * 16;
    directory.writeUInt8(image.size === 256 ? 0 : image.size, entry);
    directory.writeUInt8(image.size === 256 ? 0 : image.size, entry + 1);
    directory.writeUInt8(0, entry + 2); // no palette
    directory.writeUInt8(0, entry + 3); // reserved
    directory.writeUInt16LE(1, entry + 4); // colour planes
    directory.writeUInt16LE(32, entry + 6); // bits per pixel
    directory.writeUInt32LE(image.png.length, entry + 8);
    directory.writeUInt32LE(offset, entry + 12);
    offset += image.png.length;
  });
  return Buffer.concat([header, directory, ...images.map((image) => image.png)]);
}

/** The images of an .ico, for checks. */
export function decodeIco(ico: Buffer): IconImage[] {
  if (ico.readUInt16LE(0) !== 0 || ico.readUInt16LE(2) !== 1) throw new Error('not an icon file');
  const count = ico.readUInt16LE(4);
  return Array.from({ length: count }, (_, index) => {
    const entry = 6 + index * 16;
    const width = ico.readUInt8(entry) || 256;
    const length = ico.readUInt32LE(entry + 8);
    const offset = ico.readUInt32LE(entry + 12);
    return { size: width, png: ico.subarray(offset, offset + length) };
  });
}

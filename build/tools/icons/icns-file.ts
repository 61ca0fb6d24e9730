/**
 * A macOS .icns: the `icns` magic and total length, then one element per image (a four-letter type,
 * its length including the 8-byte element header, the PNG). Types by pixel size and scale:
 * https://en.wikipedia.org/wiki/Apple_Icon_Image_format
 */
export const ICNS_TYPES = [
  { type: 'icp4', pixels: 16 },
  { type: 'icp5', pixels: 32 },
  { type: 'icp6', pixels: 64 },
  { type: 'ic07', pixels: 128 },
  { type: 'ic08', pixels: 256 },
  { type: 'ic09', pixels: 512 },
  { type: 'ic10', pixels: 1024 }, // 512 pt @2x
  { type: 'ic11', pixels: 32 }, // 16 pt @2x
  { type: 'ic12', pixels: 64 }, // 32 pt @2x
  { type: 'ic13', pixels: 256 }, // 128 pt @2x
  { type: 'ic14', pixels: 512 }, // 256 pt @2x
] as const;

export interface IcnsElement {
  type: string;
  png: Buffer;
}

export function encodeIcns(elements: readonly IcnsElement[]): Buffer {
  const parts = elements.map((element) => {
    if (!/^[a-z0-9]{4}$/i.test(element.type)) throw new Error(`bad icns type ${element.type}`);
    const header = Buffer.alloc(8);
    header.write(element.type, 0, 'latin1');
    header.writeUInt32BE(8 + element.png.length, 4);
    return Buffer.concat([header, element.png]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'latin1');
  header.writeUInt32BE(8 + parts.reduce((total, part) => total + part.length, 0), 4);
  return Buffer.concat([header, ...parts]);
}

/** The elements of an .icns, for checks. */
export function decodeIcns(icns: Buffer): IcnsElement[] {
  if (icns.toString('latin1', 0, 4) !== 'icns' || icns.readUInt32BE(4) !== icns.length) {
    throw new Error('not an icns file');
  }
  const elements: IcnsElement[] = [];
  for (let offset = 8; offset < icns.length;) {
    const length = icns.readUInt32BE(offset + 4);
    if (length < 8 || offset + length > icns.length) throw new Error('truncated icns element');
    elements.push({
      type: icns.toString('latin1', offset, offset + 4),
      png: icns.subarray(offset + 8, offset + length),
    });
    offset += length;
  }
  return elements;
}

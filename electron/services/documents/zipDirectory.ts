// Reads a zip's central directory for the sizes its entries claim once unpacked, before anything is
// inflated: a .docx zip bomb is refused from these numbers. Hand-written because JSZip (mammoth's own
// unzipper) only learns the sizes while inflating, and keeps them in private fields.
const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const MAX_ENTRIES = 10_000;

/** The sum of the uncompressed sizes the zip declares; throws on a file that is not a readable zip. */
export function unpackedZipBytes(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record sits in the last 22 bytes plus a comment of up to 64 KiB.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new Error('no zip directory found');
  const entries = view.getUint16(eocd + 10, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  if (entries > MAX_ENTRIES) throw new Error(`the zip holds ${entries} entries`);
  // ZIP64 marks its sizes as 0xFFFFFFFF here; a Word document never needs ZIP64, so that counts as huge.
  let total = 0;
  let at = directoryOffset;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE)
      throw new Error('the zip directory is damaged');
    total += view.getUint32(at + 24, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return total;
}

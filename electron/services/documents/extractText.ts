// A file's bytes → its text, page by page (one page for everything but PDF). Every way a file can be
// unusable (encrypted, scanned, malformed, too big, a zip bomb, binary posing as text) ends here as a
// bad_input RpcError whose message names the file and says why, so the conversation shows it plainly.
import { extname } from 'node:path';
import { RpcError } from '../../../shared/rpc.ts';
import { DOCUMENT_LIMITS, documentKindOf, type DocumentKind } from '../../../shared/documents.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { unpackedZipBytes } from './zipDirectory.ts';

export interface ExtractedText {
  kind: DocumentKind;
  /** Page texts, 1-based by position; a single entry for files without pages. */
  pages: string[];
}

function refuse(name: string, why: string): never {
  throw new RpcError('bad_input', `${name}: ${why}`);
}

/** Text files must be UTF-8 without NUL bytes; an image or executable renamed .txt fails here. */
function decodeText(name: string, bytes: Uint8Array): string {
  if (bytes.includes(0)) refuse(name, 'this looks like a binary file (it contains NUL bytes), not text.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    refuse(name, 'this is not UTF-8 text (it may be a binary file or another encoding).');
  }
  const controls = text.match(/[\u0001-\u0008\u000e-\u001f\u007f]/g)?.length ?? 0;
  if (controls > 32 && controls / text.length > 0.01) refuse(name, 'this looks like a binary file, not text.');
  return text.replace(/^\uFEFF/, '');
}

function capText(name: string, pages: string[]): string[] {
  const total = pages.reduce((n, p) => n + p.length, 0);
  if (total > DOCUMENT_LIMITS.textChars) {
    refuse(
      name,
      `its text is ${total.toLocaleString('en-US')} characters; at most ${DOCUMENT_LIMITS.textChars.toLocaleString('en-US')} can be attached from one file.`,
    );
  }
  return pages;
}

async function pdfPages(name: string, bytes: Uint8Array): Promise<string[]> {
  if (new TextDecoder('latin1').decode(bytes.subarray(0, 1024)).indexOf('%PDF-') < 0)
    refuse(name, 'this is not a PDF (it does not start with %PDF-).');
  const { getDocumentProxy, extractText } = await import('unpdf');
  let pdf;
  try {
    // pdf.js takes the buffer over; a copy keeps the caller's bytes intact.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { stopAtErrors: false, verbosity: 0 });
  } catch (error) {
    const message = errorMessage(error);
    if ((error as { name?: string }).name === 'PasswordException' || /password/i.test(message))
      refuse(name, 'this PDF is encrypted (password-protected); open it, save an unprotected copy, and attach that.');
    refuse(name, `this PDF cannot be read (${message}).`);
  }
  try {
    if (pdf.numPages > DOCUMENT_LIMITS.pdfPages)
      refuse(name, `this PDF has ${pdf.numPages} pages; at most ${DOCUMENT_LIMITS.pdfPages} can be attached.`);
    const { text } = await extractText(pdf, { mergePages: false });
    const pages = (text as string[]).map((t) => t.replace(/[ \t]+\n/g, '\n').trim());
    if (pages.every((p) => p.length === 0)) {
      refuse(
        name,
        `this PDF has ${pages.length} page${pages.length === 1 ? '' : 's'} but no text layer (a scanned document?); text recognition (OCR) is not supported.`,
      );
    }
    return pages;
  } catch (error) {
    if (error instanceof RpcError) throw error;
    refuse(name, `this PDF cannot be read (${errorMessage(error)}).`);
  } finally {
    await pdf.loadingTask.destroy().catch(() => {});
  }
}

async function docxText(name: string, bytes: Uint8Array): Promise<string> {
  let unpacked: number;
  try {
    unpacked = unpackedZipBytes(bytes);
  } catch (error) {
    refuse(name, `this is not a valid .docx file (${errorMessage(error)}).`);
  }
  if (unpacked > DOCUMENT_LIMITS.docxUnpackedBytes) {
    refuse(
      name,
      `this .docx would unpack to ${(unpacked / 1e6).toFixed(0)} MB (a zip bomb?); at most ${DOCUMENT_LIMITS.docxUnpackedBytes / 1024 / 1024} MiB is read.`,
    );
  }
  const mammoth = (await import('mammoth')).default;
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
    return result.value.replace(/\n{3,}/g, '\n\n').trim();
  } catch (error) {
    refuse(name, `this .docx cannot be read (${errorMessage(error)}).`);
  }
}

export async function extractText(name: string, bytes: Uint8Array): Promise<ExtractedText> {
  if (bytes.length > DOCUMENT_LIMITS.fileBytes) {
    refuse(
      name,
      `the file is ${(bytes.length / 1e6).toFixed(1)} MB; at most ${DOCUMENT_LIMITS.fileBytes / 1024 / 1024} MiB can be attached.`,
    );
  }
  if (bytes.length === 0) refuse(name, 'the file is empty.');
  const kind = documentKindOf(name);
  if (kind === 'pdf') return { kind, pages: capText(name, await pdfPages(name, bytes)) };
  if (kind === 'docx') {
    const text = await docxText(name, bytes);
    if (!text) refuse(name, 'this .docx holds no text.');
    return { kind, pages: capText(name, [text]) };
  }
  const text = decodeText(name, bytes);
  if (!text.trim()) refuse(name, 'the file holds only white space.');
  if (kind === 'json' && extname(name).toLowerCase() === '.json') {
    try {
      JSON.parse(text);
    } catch (error) {
      refuse(name, `this JSON file does not parse (${errorMessage(error)}).`);
    }
  }
  return { kind: kind ?? 'text', pages: capText(name, [text]) };
}

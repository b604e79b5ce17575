// Math through KaTeX, loaded on first use. KaTeX builds the formula with DOM calls (its styles set through
// the style object, which the CSP's style-src 'self' allows, unlike style attributes in markup).
import type { KatexOptions } from 'katex';
import { lazyModule } from './lazyModule.ts';
import { errorMessage } from '../../../../shared/errors.ts';

/** Longer formulas stay source: KaTeX's time grows with them and no real answer needs more. */
export const MAX_FORMULA = 5_000;

export const mathRenderer = lazyModule(async () => (await import('./katexModule.ts')).default);

export type MathRenderer = NonNullable<ReturnType<typeof mathRenderer.get>>;

/** trust off: no \href, \url, \includegraphics or \html*; a formula KaTeX cannot read throws, and the
 * view then keeps its source. maxSize and maxExpand bound what one formula can cost. */
export function katexOptions(displayMode: boolean): KatexOptions {
  return { displayMode, throwOnError: true, trust: false, strict: 'ignore', maxSize: 50, maxExpand: 500 };
}

/** Typesets into `holder`; returns null, or why the formula was left as source. */
export function typeset(katex: MathRenderer, tex: string, displayMode: boolean, holder: HTMLElement): string | null {
  if (tex.length > MAX_FORMULA) return `longer than ${MAX_FORMULA.toLocaleString('en-US')} characters`;
  try {
    katex.render(tex, holder, katexOptions(displayMode));
    return null;
  } catch (error) {
    holder.textContent = '';
    return errorMessage(error);
  }
}

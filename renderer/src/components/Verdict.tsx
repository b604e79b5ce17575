// A fit verdict said in words and with an icon, so colour is never the only thing that carries it.
export type FitVerdict = 'fits' | 'tight' | 'no';

export const verdictText: Record<FitVerdict, string> = { fits: 'fits', tight: 'tight', no: 'does not fit' };
const verdictIcon: Record<FitVerdict, string> = { fits: '✓', tight: '!', no: '✕' };

export function Verdict({ verdict, title, testId }: { verdict: FitVerdict; title?: string; testId?: string }) {
  return (
    <span className={`verdict ${verdict}`} title={title} data-testid={testId}>
      <span aria-hidden="true">{verdictIcon[verdict]} </span>
      {verdictText[verdict]}
    </span>
  );
}

// A DORA band as word + a four-step meter (shape, not only colour: UI.md).
import { BAND_ORDER, BAND_WORD, type Band } from './bands';
import { TONE_CLASS, type Tone } from '../ui/status';

const TONE: Record<Band, Tone> = { elite: 'ok', high: 'run', medium: 'wait', low: 'bad' };

export function BandBadge({ band }: { band: Band }) {
  const filled = BAND_ORDER.length - BAND_ORDER.indexOf(band);
  return (
    <span
      data-testid="dora-band"
      data-band={band}
      title={`DORA performance band: ${BAND_WORD[band]}`}
      className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${TONE_CLASS[TONE[band]]}`}
    >
      <span aria-hidden="true" className="tracking-tighter">
        {'●'.repeat(filled)}
        {'○'.repeat(BAND_ORDER.length - filled)}
      </span>
      {BAND_WORD[band]}
    </span>
  );
}

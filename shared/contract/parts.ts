// Small schemas every domain's contract uses.
import { z } from 'zod';

export const empty = z.strictObject({});
export const ok = z.object({ ok: z.literal(true) });

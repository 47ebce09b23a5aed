import { z } from 'zod';

/**
 * zod 4 compiles object parsers with `new Function` after probing whether eval is allowed. Under our
 * CSP (no 'unsafe-eval') the probe fails as intended, but Chromium still reports it as a
 * securitypolicyviolation. Parsing in the renderer is small and rare, so the interpreter is fine.
 * Imported first by main.tsx, before any schema parses.
 */
z.config({ jitless: true });

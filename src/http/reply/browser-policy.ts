import { PAGE_POLICY } from '../../../representors/html-layout.ts'

/** Fields every response with a body carries: no browser may guess another type than the one sent (a JSON body run as HTML). */
export const ALWAYS: Readonly<Record<string, string>> = { 'X-Content-Type-Options': 'nosniff' }

/**
 * Fields an HTML response carries beside them: the pages' own policy, and what a `<meta>`
 * policy cannot say: no framing by anyone (clickjacking; CSP Level 3 `frame-ancestors`,
 * which supersedes X-Frame-Options).
 */
export const ON_HTML: Readonly<Record<string, string>> = { 'Content-Security-Policy': `${PAGE_POLICY}; frame-ancestors 'none'` }

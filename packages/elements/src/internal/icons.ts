import { svg, type SVGTemplateResult } from 'lit';

// Inline, decorative (aria-hidden) 20×20 icons: no icon font, no extra request.
const icon = (body: SVGTemplateResult): SVGTemplateResult =>
  svg`<svg class="icon" viewBox="0 0 20 20" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

/** Paper plane (send). */
export const sendIcon = icon(svg`<path d="M3.5 10 16.5 3.5 13 16.5l-3.2-5.3z"/><path d="m9.8 11.2 6.7-7.7"/>`);
/** Clock (countdown). */
export const clockIcon = icon(svg`<circle cx="10" cy="10" r="7"/><path d="M10 6v4l2.5 2"/>`);
/** Two people (participants). */
export const peopleIcon = icon(
  svg`<circle cx="7.5" cy="7" r="2.8"/><path d="M2.5 16c.6-2.8 2.6-4.3 5-4.3s4.4 1.5 5 4.3"/><path d="M13 4.6a2.6 2.6 0 0 1 0 5M14.5 11.9c1.5.5 2.6 1.8 3 4.1"/>`,
);
/** Megaphone (notice). */
export const noticeIcon = icon(svg`<path d="M3.5 8v4h3l6 3.5v-11L6.5 8z"/><path d="M15.5 8a3 3 0 0 1 0 4"/>`);
/** Arrow down (jump to new messages). */
export const arrowDownIcon = icon(svg`<path d="M10 4v12M5 11l5 5 5-5"/>`);
/** Warning (failed send, errors). */
export const alertIcon = icon(svg`<circle cx="10" cy="10" r="7.2"/><path d="M10 6.2v4.6M10 13.6v.1"/>`);
/** Cloud off (offline). */
export const offlineIcon = icon(svg`<path d="M6 15.5h8a3.5 3.5 0 0 0 .6-6.95A5 5 0 0 0 5.2 7.6 4 4 0 0 0 6 15.5z"/><path d="m3 3 14 14"/>`);
/** Chevron (disclosure). */
export const chevronIcon = icon(svg`<path d="m6 8 4 4 4-4"/>`);
/** Close (dismiss). */
export const closeIcon = icon(svg`<path d="m5.5 5.5 9 9M14.5 5.5l-9 9"/>`);
/** Paper clip (attach photos, issue 12). */
export const clipIcon = icon(
  svg`<path d="m16 9.5-6 6a3.9 3.9 0 0 1-5.5-5.5l6.3-6.3a2.6 2.6 0 0 1 3.7 3.7l-6.2 6.2a1.3 1.3 0 0 1-1.8-1.8l5.6-5.6"/>`,
);
/** Speech bubbles (chat). */
export const chatIcon = icon(
  svg`<path d="M3.5 5.5a2 2 0 0 1 2-2h7a2 2 0 0 1 2 2v4.5a2 2 0 0 1-2 2H8l-3 2.5V12a2 2 0 0 1-1.5-2z"/><path d="M14.5 7.5h0a2 2 0 0 1 2 2v4a2 2 0 0 1-1 1.7V17l-2.5-1.8H10"/>`,
);

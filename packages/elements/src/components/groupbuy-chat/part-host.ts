import type { ReactiveControllerHost } from 'lit';

/** The element a part of the chat (header, message list, composer) renders into: a Lit host with a render root. */
export type PartHost = ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment };

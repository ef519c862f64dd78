import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { formatsFor, loadStrings, stringsFor, toLang, type Formats, type Strings } from './i18n.js';

type Host = ReactiveControllerHost & HTMLElement;

const hosts = new Set<Host>();
let observer: MutationObserver | undefined;

/**
 * Resolves a widget's language: its own `lang`, else the nearest ancestor's (across shadow roots), else the
 * document's, else the browser's. Re-renders its host when `<html lang>` changes (one observer for the whole page).
 */
export class LocaleController implements ReactiveController {
  constructor(private readonly host: Host) {
    host.addController(this);
  }

  /** The BCP 47 tag in use, narrowed to one the widgets speak (`ko-KR`, `en-US`, `en` …). */
  get locale(): string {
    const tag = nearestLang(this.host) || document.documentElement.lang || (typeof navigator === 'undefined' ? '' : navigator.language);
    // A language the widgets do not speak gets English words and English formats, never a mix.
    return toLang(tag) === 'ko' || /^en\b/i.test(tag) ? tag : 'en';
  }

  /**
   * Null when the current language's strings are here, else a promise that settles once they are (or once
   * loading them failed, when {@link t} stays English): the host renders after it, never in the wrong words.
   */
  loading(): Promise<void> | null {
    return loadStrings(toLang(this.locale));
  }

  /** The strings of the current language. */
  get t(): Strings {
    return stringsFor(toLang(this.locale));
  }

  /** Intl formatters of the current locale. */
  get format(): Formats {
    return formatsFor(this.locale);
  }

  /** Starts following `<html lang>`. */
  hostConnected(): void {
    hosts.add(this.host);
    observer ??= new MutationObserver(() => {
      for (const host of hosts) host.requestUpdate();
    });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }

  /** Stops following `<html lang>` (the observer goes when the last widget does). */
  hostDisconnected(): void {
    hosts.delete(this.host);
    if (hosts.size === 0) {
      observer?.disconnect();
      observer = undefined;
    }
  }
}

/** The nearest non-empty `lang` from `el` up, crossing shadow roots (a widget inside another). */
function nearestLang(el: Element): string {
  let node: Element | null = el;
  while (node) {
    const lang = node.getAttribute('lang');
    if (lang) return lang;
    node = node.parentElement ?? (node.getRootNode() as ShadowRoot).host ?? null;
  }
  return '';
}

import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { maskShippingAddress, parseShippingAddressInput, toChatError, type ErrorInfo, type ShippingAddress } from '@groupbuy/protocol';
import type { RoomSession } from '@groupbuy/sdk';
import type { LocaleController } from '../../internal/locale-controller.js';
import { adoptLazyStyles } from './attach-lazy-styles.js';
import { addressFormStyles } from './address-form.styles.js';
import { addressFormStrings, type AddressField, type AddressFormStrings } from './address-form.strings.js';
import type { PartHost } from './part-host.js';

/** The form's fields in order, with their `autocomplete` tokens (so a browser can fill a saved address). */
export const ADDRESS_FIELDS: readonly { readonly name: AddressField; readonly autocomplete: string; readonly required: boolean }[] = [
  { name: 'recipient', autocomplete: 'name', required: true },
  { name: 'phone', autocomplete: 'tel', required: true },
  { name: 'postalCode', autocomplete: 'postal-code', required: true },
  { name: 'line1', autocomplete: 'address-line1', required: true },
  { name: 'line2', autocomplete: 'address-line2', required: false },
  { name: 'memo', autocomplete: 'off', required: false },
];

/** Where the form is: loading the saved address, showing it (masked), or editing. */
export type AddressFormPhase = 'loading' | 'saved' | 'editing';

/** What the form needs from the chat. */
export interface AddressFormOptions {
  /** The chat's session, when there is one. */
  readonly session: () => RoomSession | null;
  /** The chat's language. */
  readonly locale: LocaleController;
  /** Shows a failure that is not about a field in the chat's error banner. */
  readonly onError: (error: ErrorInfo) => void;
  /** The form was closed (the Close button, Escape). */
  readonly close: () => void;
}

const EMPTY: Record<AddressField, string> = { recipient: '', phone: '', postalCode: '', line1: '', line2: '', memo: '' };

/** The field an INVALID_INPUT from `parseShippingAddressInput` (or the server, with the same words) names, if any. */
export function fieldOf(error: ErrorInfo): AddressField | null {
  if (error.code !== 'INVALID_INPUT') return null;
  const name = /^(\w+):/.exec(error.message)?.[1];
  return ADDRESS_FIELDS.some((f) => f.name === name) ? (name as AddressField) : null;
}

/**
 * The buyer's shipping-address form (issue 11), lazily imported when opened: recipient, phone, postal code,
 * address, unit and note, checked with the protocol's `parseShippingAddressInput` (the field it names shows
 * the error), saved through `session.address`, then shown back masked (`maskShippingAddress`) with Edit and
 * Delete. The address never enters the chat, a log line or the page's events.
 */
export class AddressForm {
  /** Where the form is. */
  phase: AddressFormPhase = 'loading';
  private saved: ShippingAddress | null = null;
  private values: Record<AddressField, string> = { ...EMPTY };
  private invalid: AddressField | null = null;
  private busy = false;
  private status = '';

  constructor(
    private readonly host: PartHost,
    private readonly options: AddressFormOptions,
  ) {
    adoptLazyStyles(host.renderRoot, addressFormStyles);
    void this.load();
  }

  private get s(): AddressFormStrings {
    return addressFormStrings(this.options.locale.format.lang);
  }

  private async load(): Promise<void> {
    const session = this.options.session();
    if (!session) return;
    try {
      this.saved = await session.address.get();
    } catch (err) {
      this.options.onError(toChatError(err).toInfo());
    }
    this.phase = this.saved ? 'saved' : 'editing';
    if (this.host.isConnected) this.host.requestUpdate();
  }

  /** The form's panel. */
  render(): TemplateResult {
    const s = this.s;
    let body: TemplateResult;
    if (this.phase === 'loading') body = html`<p class="address-status">${s.loading}</p>`;
    else if (this.phase === 'saved' && this.saved) body = this.renderSaved(this.saved);
    else body = this.renderForm();
    return html`<section class="address-panel" id="address-form" part="address-form" aria-labelledby="address-title" @keydown=${this.onKeydown}>
      <div class="address-head">
        <h3 id="address-title">${s.title}</h3>
        <button type="button" class="link-button" @click=${this.options.close}>${s.close}</button>
      </div>
      <p class="address-intro">${s.intro}</p>
      ${body}
      <div class="sr-only" role="status" aria-live="polite">${this.status}</div>
    </section>`;
  }

  private renderSaved(address: ShippingAddress): TemplateResult {
    const s = this.s;
    const masked = maskShippingAddress(address);
    const rows = ADDRESS_FIELDS.map(({ name }) => {
      const value = masked[name];
      return value ? html`<div><dt>${s.labels[name]}</dt><dd>${value}</dd></div>` : nothing;
    });
    return html`<dl class="address-saved" part="address-saved">${rows}</dl>
      <div class="form-actions">
        <button type="button" class="button secondary" part="address-delete" ?disabled=${this.busy} @click=${this.remove}>${s.remove}</button>
        <button type="button" class="button primary" part="address-edit" @click=${this.edit}>${s.edit}</button>
      </div>`;
  }

  private renderForm(): TemplateResult {
    const s = this.s;
    const fields = ADDRESS_FIELDS.map(({ name, autocomplete, required }) => {
      const bad = this.invalid === name;
      return html`<div class="field">
          <label for=${`address-${name}`}>${s.labels[name]}${required ? nothing : html` <span class="optional">${s.optional}</span>`}</label>
          <input
            id=${`address-${name}`}
            name=${name}
            autocomplete=${autocomplete}
            inputmode=${name === 'phone' ? 'tel' : name === 'postalCode' ? 'numeric' : 'text'}
            type=${name === 'phone' ? 'tel' : 'text'}
            ?required=${required}
            aria-invalid=${bad ? 'true' : 'false'}
            aria-describedby=${bad ? `address-${name}-error` : nothing}
            .value=${live(this.values[name])}
            @input=${(e: Event) => this.input(name, (e.target as HTMLInputElement).value)}
          />
          ${bad ? html`<p class="field-error" id=${`address-${name}-error`} part="address-error">${s.errors[name]}</p>` : nothing}
        </div>`;
    });
    return html`<form class="address-fields" novalidate @submit=${this.submit}>
      ${fields}
      <div class="form-actions">
        ${this.saved ? html`<button type="button" class="button secondary" @click=${this.cancel}>${s.cancel}</button>` : nothing}
        <button type="submit" class="button primary" part="address-save" ?disabled=${this.busy} aria-busy=${this.busy ? 'true' : 'false'}>
          ${this.busy ? s.saving : s.save}
        </button>
      </div>
    </form>`;
  }

  private input(name: AddressField, value: string): void {
    this.values = { ...this.values, [name]: value };
    if (this.invalid === name) {
      this.invalid = null;
      this.host.requestUpdate();
    }
  }

  private readonly submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const session = this.options.session();
    if (!session || this.busy) return;
    let input;
    try {
      // The rule the server applies, here first: the field it names gets the error, nothing is sent.
      input = parseShippingAddressInput(this.values);
    } catch (err) {
      this.refused(toChatError(err).toInfo());
      return;
    }
    this.busy = true;
    this.host.requestUpdate();
    try {
      this.saved = await session.address.save(input);
      this.phase = 'saved';
      this.invalid = null;
      this.status = this.s.saved;
    } catch (err) {
      this.refused(toChatError(err).toInfo());
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  };

  // A refusal naming a field marks it and moves the focus there; anything else goes to the error banner.
  private refused(error: ErrorInfo): void {
    const field = fieldOf(error);
    if (field === null) {
      this.options.onError(error);
      return;
    }
    this.invalid = field;
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>(`#address-${field}`)?.focus());
  }

  private readonly edit = (): void => {
    const a = this.saved;
    this.values = a
      ? { recipient: a.recipient, phone: a.phone, postalCode: a.postalCode, line1: a.line1, line2: a.line2 ?? '', memo: a.memo ?? '' }
      : { ...EMPTY };
    this.phase = 'editing';
    this.status = '';
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('#address-recipient')?.focus());
  };

  private readonly cancel = (): void => {
    this.values = { ...EMPTY };
    this.invalid = null;
    this.phase = this.saved ? 'saved' : 'editing';
    this.host.requestUpdate();
  };

  private readonly remove = async (): Promise<void> => {
    const session = this.options.session();
    if (!session || this.busy) return;
    this.busy = true;
    this.host.requestUpdate();
    try {
      await session.address.remove();
      this.saved = null;
      this.values = { ...EMPTY };
      this.phase = 'editing';
      this.status = this.s.removed;
    } catch (err) {
      this.options.onError(toChatError(err).toInfo());
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  };

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    this.options.close();
  };
}

/** Downloads every buyer's address as CSV (the host's button): `session.addressesCsv()` saved as a file. */
export async function downloadAddressesCsv(session: RoomSession): Promise<void> {
  const csv = await session.addressesCsv();
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: `${session.productId}-addresses.csv` });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

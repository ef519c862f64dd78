// Server rendering in plain Node (no DOM at all): importing the package and rendering a page with the hook
// and both wrapped elements must not touch `window`, register no element, and connect nowhere.
import { version } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TransportFactory } from '@groupbuy/sdk';
import { ChatClientProvider, GroupbuyChat, ParticipantList, useGroupBuyRoom } from './index.js';

function Status({ productId }: { productId: string }) {
  const room = useGroupBuyRoom(productId);
  return <p className="status">{`${room.status}: ${room.messages.length} messages, ${room.connection}`}</p>;
}

describe('server rendering', () => {
  it(`runs on the React major this project is for (${process.env['GROUPBUY_REACT_MAJOR']})`, () => {
    expect(version.split('.')[0]).toBe(process.env['GROUPBUY_REACT_MAJOR']);
  });

  it('renders a page with the hook and both elements without a window, and connects nowhere', () => {
    let asked = 0;
    let transports = 0;
    const transport: TransportFactory = () => {
      transports += 1;
      throw new Error('a server render must not open a transport');
    };
    const html = renderToString(
      <ChatClientProvider baseUrl="https://chat.shop.example" getToken={() => String(++asked)} transport={transport}>
        <Status productId="tangerine-5kg" />
        <GroupbuyChat productId="tangerine-5kg" theme="dark" className="chat" />
        <ParticipantList productId="tangerine-5kg" />
      </ChatClientProvider>,
    );
    expect(html).toContain('loading: 0 messages, connecting');
    expect(html).toMatch(/<groupbuy-chat[^>]*class="chat"[^>]*><\/groupbuy-chat>/);
    expect(html).toContain('<participant-list');
    expect(typeof globalThis.window).toBe('undefined');
    // Lit's Node build brings a registry shim of its own; the wrappers registered nothing in it.
    expect(globalThis.customElements?.get('groupbuy-chat')).toBeUndefined();
    expect(globalThis.customElements?.get('participant-list')).toBeUndefined();
    expect(asked).toBe(0);
    expect(transports).toBe(0);
  });
});

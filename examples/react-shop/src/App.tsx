import { useState, type SyntheticEvent } from 'react';
import { ChatClientProvider, GroupbuyChat, useChatClient } from '@groupbuy/react';
import { stompTransport } from '@groupbuy/sdk/stomp';
import { ChatRoom } from './chat/ChatRoom.js';

/** The demo deal; `pnpm dev` seeds it and passes its id in VITE_DEMO_PRODUCT. */
const PRODUCT_ID = (import.meta.env['VITE_DEMO_PRODUCT'] as string | undefined) ?? 'demo-react-tangerine';

/** One user id per tab, so two tabs are two shoppers. */
function tabUserId(): string {
  const saved = sessionStorage.getItem('react-shop-user');
  if (saved) return saved;
  const id = `shopper-${crypto.randomUUID().slice(0, 8)}`;
  sessionStorage.setItem('react-shop-user', id);
  return id;
}

// Dev mode only: the reference server mints tokens at /api/dev/token. A real shop's backend signs them.
async function devToken(name: string): Promise<string> {
  const res = await fetch('/api/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: tabUserId(), name }),
  });
  if (!res.ok) throw new Error(`dev token: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** The product page: sign in with a name, then the hook-built chat beside the wrapped widget. */
export function App() {
  const [name, setName] = useState<string | null>(() => sessionStorage.getItem('react-shop-name'));
  const [draft, setDraft] = useState('');
  const signIn = (event: SyntheticEvent) => {
    event.preventDefault();
    if (!draft.trim()) return;
    sessionStorage.setItem('react-shop-name', draft.trim());
    setName(draft.trim());
  };
  return (
    <main className="page">
      <header className="product">
        <h1>제주 노지 감귤 5kg 공동구매</h1>
        <p>10명이 모이면 마감, 다음 날 산지 직송. 궁금한 점은 채팅으로 물어보세요.</p>
      </header>
      {name === null ? (
        <form className="sign-in" onSubmit={signIn}>
          <label>
            Your name <input value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus />
          </label>
          <button type="submit">Sign in to chat</button>
        </form>
      ) : (
        <ChatClientProvider baseUrl={location.origin} getToken={() => devToken(name)} transport={stompTransport()}>
          <div className="chats">
            <section aria-label="Chat built on useGroupBuyRoom">
              <h2>Custom UI (useGroupBuyRoom)</h2>
              <ChatRoom productId={PRODUCT_ID} />
            </section>
            <section aria-label="The groupbuy-chat widget">
              <h2>Widget (&lt;GroupbuyChat&gt;)</h2>
              <Widget />
            </section>
          </div>
        </ChatClientProvider>
      )}
    </main>
  );
}

/** The wrapped web component on the provider's client: the same connection as the custom UI. */
function Widget() {
  const client = useChatClient();
  const [lastEvent, setLastEvent] = useState('');
  return (
    <>
      <GroupbuyChat
        productId={PRODUCT_ID}
        client={client}
        style={{ height: '520px' }}
        onGroupbuyJoin={() => setLastEvent('You joined the deal')}
        onGroupbuyLeave={() => setLastEvent('You left the deal')}
        onGroupbuyError={(e) => setLastEvent(`Error: ${e.error.code}`)}
      />
      <p className="event" aria-live="polite">
        {lastEvent}
      </p>
    </>
  );
}

// The page the wrapper tests load in Chromium (bundled by esbuild with one React version): both wrapped
// elements on one SDK client, every event prop logged to `window.__log`, props changed by `window.__set`.
import { useRef, useState, version } from 'react';
import { createRoot } from 'react-dom/client';
import { createChatClient, memoryOutboxStorage } from '@groupbuy/sdk';
import { stompTransport } from '@groupbuy/sdk/stomp';
import type { GroupbuyChat as GroupbuyChatElement } from '@groupbuy/elements';
import { GroupbuyChat, ParticipantList } from '../index.js';

/** What the test hands the page in `window.__config`. */
export interface PageConfig {
  chatUrl: string;
  token: string;
  productId: string;
}

/** The props the test may change. */
export interface PageProps {
  productId: string;
  theme: 'light' | 'dark';
}

/** What the page exposes to the test. */
export interface PageWindow {
  __config: PageConfig;
  __log: Array<[string, unknown]>;
  __set(props: Partial<PageProps>): void;
  __chat: GroupbuyChatElement | null;
  __client: unknown;
  __reactVersion: string;
}

const w = window as unknown as PageWindow;
const config = w.__config;
const client = createChatClient({
  baseUrl: config.chatUrl,
  getToken: () => config.token,
  transport: stompTransport(),
  outboxStorage: memoryOutboxStorage(),
});
w.__client = client;
w.__reactVersion = version;
w.__log = [];
const log = (name: string, detail: unknown): void => void w.__log.push([name, detail]);

function Page() {
  const [props, setProps] = useState<PageProps>({ productId: config.productId, theme: 'dark' });
  w.__set = (next) => setProps((prev) => ({ ...prev, ...next }));
  const ref = useRef<GroupbuyChatElement>(null);
  return (
    <>
      <GroupbuyChat
        ref={(el) => {
          ref.current = el;
          w.__chat = el;
        }}
        className="the-chat"
        productId={props.productId}
        client={client}
        theme={props.theme}
        lang="en"
        onGroupbuyRoomChange={(e) => log('room-change', { productId: e.room.productId, participantCount: e.room.participantCount })}
        onGroupbuyJoin={(e) => log('join', { participantCount: e.room?.participantCount })}
        onGroupbuyLeave={(e) => log('leave', { participantCount: e.room?.participantCount })}
        onGroupbuySend={(e) => log('send', { content: e.message.content, status: e.message.status })}
        onGroupbuyError={(e) => log('error', { code: e.error.code })}
        onGroupbuyAuthRequired={(e) => log('auth-required', e.detail)}
      />
      <ParticipantList productId={props.productId} client={client} lang="en" />
    </>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<Page />);

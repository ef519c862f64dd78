import { createContext, createElement, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { createChatClient, type ChatClient, type ChatClientOptions, type TransportFactory } from '@groupbuy/sdk';

const ChatClientContext = createContext<ChatClient | null>(null);

/** Props of {@link ChatClientProvider}: a client the page made, or what it takes to make one. */
export type ChatClientProviderProps =
  | {
      /** A client from `createChatClient`; the page owns it (the provider never closes it). */
      client: ChatClient;
      /** The hooks and widgets that share it. */
      children?: ReactNode;
    }
  | {
      /** The chat server's base URL, e.g. `https://chat.shop.example`. Another one makes a new client. */
      baseUrl: string;
      /** Returns a JWT; the latest function passed is the one asked (an inline arrow is fine). */
      getToken: () => string | Promise<string>;
      /** A transport factory, e.g. `stompTransport()`; read once, when the client is made. */
      transport: TransportFactory;
      /** Any other client option (reconnect delays, outbox storage …); read once, when the client is made. */
      options?: Omit<ChatClientOptions, 'baseUrl' | 'getToken' | 'transport'>;
      /** The hooks and widgets that share it. */
      children?: ReactNode;
    };

/**
 * Makes one chat client available to every `useGroupBuyRoom` and widget below it, so a page has one
 * connection however many rooms and components it shows. Given `baseUrl` + `getToken` + `transport` it
 * makes the client itself (it connects only when the first room opens, so a server render connects to
 * nothing) and closes it when the provider unmounts.
 */
export function ChatClientProvider(props: ChatClientProviderProps): ReactNode {
  const getTokenRef = useRef<() => string | Promise<string>>(() => '');
  if (!('client' in props)) getTokenRef.current = props.getToken;
  const baseUrl = 'client' in props ? null : props.baseUrl;
  // Keyed by the base URL alone: `transport` and `options` are usually made inline on every render.
  const owned = useMemo(() => {
    if ('client' in props || baseUrl === null) return null;
    const { transport, options } = props;
    return new OwnedClient(createChatClient({ ...options, baseUrl, transport, getToken: () => getTokenRef.current() }));
  }, [baseUrl]);
  useEffect(() => {
    if (!owned) return undefined;
    owned.hold();
    return () => owned.release();
  }, [owned]);
  const client = 'client' in props ? props.client : (owned?.client ?? null);
  return createElement(ChatClientContext.Provider, { value: client }, props.children);
}

/** The client of the nearest {@link ChatClientProvider}; throws a clear error outside one. */
export function useChatClient(): ChatClient {
  return requireClient(useContext(ChatClientContext));
}

/** `client`, or the error that says a `<ChatClientProvider>` is missing. */
export function requireClient(client: ChatClient | null): ChatClient {
  if (client) return client;
  throw new Error(
    'useGroupBuyRoom and useChatClient need a <ChatClientProvider> above them (or pass { client } to the hook): ' +
      'wrap the page in <ChatClientProvider baseUrl=… getToken=… transport=…>.',
  );
}

/** The provider's client, or null outside one (for hooks that take a client of their own). */
export function useOptionalChatClient(): ChatClient | null {
  return useContext(ChatClientContext);
}

// A client the provider made. A client connects only when its first room opens, so one made during a
// render that React throws away costs nothing. It is closed a macrotask after its last holder let go:
// StrictMode's effect-cleanup-then-effect keeps it open, an unmounted provider closes it.
class OwnedClient {
  private holders = 0;

  constructor(readonly client: ChatClient) {}

  hold(): void {
    this.holders += 1;
  }

  release(): void {
    this.holders -= 1;
    setTimeout(() => {
      if (this.holders === 0) this.client.close();
    }, 0);
  }
}

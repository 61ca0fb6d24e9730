import { createContext, useContext } from 'react';
import type { LinkboardClient } from './linkboard-client';

export const LinkboardContext = createContext<LinkboardClient | null>(null);

export function useLinkboard(): LinkboardClient {
  const client = useContext(LinkboardContext);
  if (!client) throw new Error('useLinkboard() outside <LinkboardContext.Provider>');
  return client;
}

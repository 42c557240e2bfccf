// Amplemarket's lead-list reads and creation: POST /lead-lists and GET /lead-lists/{id} (a page of
// the list's entries, `page[size]` / `page[after]` / `page[before]`, `_links.next` while more remain).
import type { AmplemarketCreateLeadListRequest, AmplemarketLeadList, operations } from "@leadbridge/amplemarket";
import type { Reply, ReplyOf, Route } from "../plumbing.js";
import type { AmplemarketListType, AmplemarketStore } from "./amplemarket.js";

type AddReply = ReplyOf<operations["addLeadsToLeadList"]>;
type Settings = Pick<AmplemarketCreateLeadListRequest, "shared" | "visible" | "owner" | "options">;

/** Entries a page holds when `page[size]` is not given (the guide: "up to 100"). */
const DEFAULT_PAGE_SIZE = 100;

/**
 * The routes, over `store`; `add` is the store's validated bulk add (`POST /lead-lists/{id}/leads`),
 * which a create runs on the new list's leads. Processing is immediate, so a list is `completed`.
 */
export function leadListRoutes(
  store: AmplemarketStore,
  add: (listId: string, body: unknown) => AddReply,
  newId: () => string,
): Route[] {
  // What the store does not keep: the settings a create names.
  const settings = new Map<string, Settings>();

  /** An entry's id is its 1-based position in the list: stable, since entries are never removed one by one. */
  function view(id: string, query: URLSearchParams | undefined): AmplemarketLeadList {
    const { name, type } = store.list(id);
    const entries = store.leads(id).map((lead, i) => ({ ...lead, id: String(i + 1) }));
    const size = Math.max(1, Number(query?.get("page[size]") ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE);
    const after = Number(query?.get("page[after]") ?? 0) || 0;
    const before = Number(query?.get("page[before]") ?? 0) || 0;
    const end = before > 0 ? before - 1 : Math.min(entries.length, after + size);
    const start = before > 0 ? Math.max(0, end - size) : after;
    const leads = entries.slice(start, end);
    const page = (cursor: string, at: string) => ({
      href: `/lead-lists/${id}?page[size]=${size}&page[${cursor}]=${at}`,
    });
    const _links: NonNullable<AmplemarketLeadList["_links"]> = { self: { href: `/lead-lists/${id}` } };
    if (start > 0 && leads.length > 0) _links.prev = page("before", leads[0]!.id);
    if (end < entries.length && leads.length > 0) _links.next = page("after", leads.at(-1)!.id);
    return { id, name, status: "completed", type, ...settings.get(id), leads, _links };
  }

  const notFound = (): Reply => ({
    status: 404,
    body: {
      object: "error",
      _errors: [{ code: "not_found", title: "Not Found", detail: "Could not find lead list." }],
    },
  });

  return [
    {
      method: "POST",
      pattern: /^\/lead-lists\/?$/,
      handle({ body }): Reply {
        // Prism, in front, has checked the body against the spec (required fields, type enum, maxItems).
        const { name, type, leads, shared, visible, owner, options } = body as AmplemarketCreateLeadListRequest;
        const id = store.createList({ type: type as AmplemarketListType, id: newId(), name });
        const added = add(id, { type, leads });
        if (added.status !== 202) {
          store.deleteList(id);
          return added;
        }
        settings.set(id, { shared, visible, owner, options });
        return { status: 202, body: view(id, undefined) };
      },
    },
    {
      method: "GET",
      pattern: /^\/lead-lists\/(?<id>[^/]+)$/,
      handle({ params, query }): Reply {
        const id = params.id!;
        if (!store.lists().some((list) => list.id === id && !list.deleted)) return notFound();
        return { status: 200, body: view(id, query) };
      },
    },
  ];
}

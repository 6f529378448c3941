// RBAC groups and their membership records as the store keeps them (§11.1, §11.2).

export type RbacGroupSource = 'direct' | 'scim';

export interface RbacGroupRecord {
  id: string;
  name: string;
  sourceType: RbacGroupSource;
  /** Attached `rbac_role_…` ids; read-only through the API (§11.1). */
  roles: string[];
  createdAt: string;
  updatedAt: string;
  /** Position in the listing (creation order); also what a page token points at. */
  seq: number;
}

export interface GroupMembershipRecord {
  userId: string;
  createdAt: string;
  seq: number;
  /** The user left the organization: the record stays (short pages, §11.2) but no longer counts. */
  departed: boolean;
}

export interface NewRbacGroup {
  name: string;
  sourceType: RbacGroupSource;
  roles?: string[];
  id?: string;
  createdAt?: string;
}

export interface RawPage<T> {
  items: T[];
  /** Records exist past the page (some may be filtered out when read). */
  hasMore: boolean;
  /** `seq` of the last record read, for the next page token; undefined when nothing was read. */
  lastSeq: number | undefined;
}

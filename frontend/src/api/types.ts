import type { Schemas } from './client';

// One place that names the backend's schemas, so a rename in openapi.json is fixed here only.
export type Me = Schemas['Me'];
export type RoleBinding = Schemas['RoleBinding'];
export type School = Schemas['School'];
export type SchoolInput = Schemas['SchoolInput'];
export type Teacher = Schemas['Teacher'];
export type TeacherInput = Schemas['TeacherInput'];
export type Account = Schemas['Account'];
export type AccountCreate = Schemas['AccountCreate'];
export type AccountUpdate = Schemas['AccountUpdate'];
export type RegionNode = Schemas['RegionNode'];
export type Region = Schemas['Region'];
export type ImportReport = Schemas['ImportReport'];
export type RowError = Schemas['RowError'];
export type TokenPair = Schemas['TokenPair'];

export type ImportKind = 'schools' | 'teachers';
export type ExportKind = 'schools' | 'teachers' | 'accounts';

export interface PageResult<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

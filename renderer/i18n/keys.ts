// Every translation key ("group.name"; plural forms by their base name), for code that
// names strings before it has a translator (the timeline's event details).
import type { en } from './en';

type Strings = typeof en;
type BaseName<Name extends string> = Name extends `${infer Base}_${'one' | 'other'}` ? Base : Name;

export type StringKey = { [Group in keyof Strings & string]: `${Group}.${BaseName<keyof Strings[Group] & string>}` }[keyof Strings & string];

// The syntax tree of the pod shell: the subset of POSIX sh that busybox labs use.
export type Part =
  | { readonly kind: 'lit'; readonly text: string; readonly quoted: boolean }
  | { readonly kind: 'var'; readonly name: string; readonly quoted: boolean; readonly fallback?: Word }
  | { readonly kind: 'cmd'; readonly list: ListNode; readonly quoted: boolean }
  | { readonly kind: 'arith'; readonly expr: string; readonly quoted: boolean };

export interface Word {
  readonly parts: readonly Part[];
}

export interface Redirect {
  readonly fd: number;
  readonly op: '>' | '>>' | '<' | '>&';
  readonly target: Word;
}

export interface SimpleNode {
  readonly type: 'simple';
  readonly assigns: readonly { readonly name: string; readonly value: Word }[];
  readonly words: readonly Word[];
  readonly redirects: readonly Redirect[];
}
export interface ForNode {
  readonly type: 'for';
  readonly name: string;
  readonly items: readonly Word[];
  readonly body: ListNode;
}
export interface WhileNode {
  readonly type: 'while';
  readonly until: boolean;
  readonly cond: ListNode;
  readonly body: ListNode;
}
export interface IfNode {
  readonly type: 'if';
  readonly branches: readonly { readonly cond: ListNode; readonly body: ListNode }[];
  readonly elseBody?: ListNode;
}
export interface GroupNode {
  readonly type: 'group';
  readonly body: ListNode;
}
export type CommandNode = SimpleNode | ForNode | WhileNode | IfNode | GroupNode;

export interface PipelineNode {
  readonly negate: boolean;
  readonly commands: readonly CommandNode[];
}
export interface AndOrNode {
  readonly first: PipelineNode;
  readonly rest: readonly { readonly op: '&&' | '||'; readonly pipeline: PipelineNode }[];
}
export interface ListNode {
  readonly items: readonly AndOrNode[];
}

// `-l` for the kubectl imitation: the apiserver's selector parser, its errors as kubectl prints them.
import { parseSelector as parse, SelectorError, type LabelPredicate } from '../apiserver/selector.ts';
import { KubectlError } from './args.ts';

export function parseSelector(text: string): LabelPredicate {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof SelectorError) throw new KubectlError(`error: ${error.message}`);
    throw error;
  }
}

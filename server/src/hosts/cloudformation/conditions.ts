/**
 * The template's `Conditions`, decided where the parameter values given (`--parameters`) decide
 * them: "conditions are evaluated based on input parameters that you declare when you create or
 * update a stack" (CloudFormation User Guide, "Condition functions"). A parameter not given is
 * unknown, as it is for `!Sub` and `!Ref`: its `Default` holds only where no value (and no
 * `UsePreviousValue`) is passed, which a parameter file does not say. Without values given, only
 * conditions of literals alone are decided.
 */
import { intrinsicOf, type TemplateFacts } from './intrinsics';
import { deref, member, scalarText, type TemplateNode } from './templateTree';

const MAX_DEPTH = 16;

export class ConditionEvaluator {
  private readonly decided = new Map<string, boolean | undefined>();

  constructor(
    private readonly root: TemplateNode,
    private readonly facts: TemplateFacts,
  ) {}

  /** A condition by name (`IsProd`, or `!IsProd` for its negation): true, false, or undefined when the values given do not decide it. */
  value(name: string): boolean | undefined {
    const negated = name.startsWith('!');
    const result = this.named(negated ? name.slice(1) : name, 0);
    return result === undefined ? undefined : negated ? !result : result;
  }

  private named(name: string, depth: number): boolean | undefined {
    if (this.decided.has(name)) return this.decided.get(name);
    this.decided.set(name, undefined); // a cycle decides nothing
    const result = depth > MAX_DEPTH ? undefined : this.expression(member(member(this.root, 'Conditions'), name), depth + 1);
    this.decided.set(name, result);
    return result;
  }

  private expression(node: TemplateNode | undefined, depth: number): boolean | undefined {
    const intrinsic = intrinsicOf(node);
    if (!intrinsic || depth > MAX_DEPTH) {
      // The long form of a condition reference, `{"Condition": "IsProd"}` (intrinsicOf reads Ref and Fn:: only).
      const found = deref(node);
      const [key, value] = found?.type === 'object' && found.children?.length === 1 ? (found.children[0].children ?? []) : [];
      const name = key?.value === 'Condition' ? scalarText(value) : undefined;
      return name === undefined || depth > MAX_DEPTH ? undefined : this.named(name, depth + 1);
    }
    const argument = deref(intrinsic.argument);
    const list = argument?.type === 'array' ? (argument.children ?? []) : [];
    switch (intrinsic.name) {
      case 'Condition': {
        const name = scalarText(argument);
        return name === undefined ? undefined : this.named(name, depth + 1);
      }
      case 'Fn::Equals': {
        if (list.length !== 2) return undefined;
        const [a, b] = list.map((n) => this.scalar(n));
        return a === undefined || b === undefined ? undefined : a === b;
      }
      case 'Fn::Not': {
        const inner = list.length === 1 ? this.expression(list[0], depth + 1) : undefined;
        return inner === undefined ? undefined : !inner;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const values = list.map((n) => this.expression(n, depth + 1));
        const and = intrinsic.name === 'Fn::And';
        // Three-valued: one false decides And, one true decides Or, whatever the unknown ones are.
        if (values.includes(!and)) return !and;
        return values.includes(undefined) || values.length === 0 ? undefined : and;
      }
      default:
        return undefined;
    }
  }

  /** A scalar argument of Fn::Equals: written out, or the value given for a parameter. */
  private scalar(node: TemplateNode): string | undefined {
    const intrinsic = intrinsicOf(node);
    if (!intrinsic) return scalarText(node);
    if (intrinsic.name !== 'Ref') return undefined;
    const name = scalarText(deref(intrinsic.argument));
    if (name === undefined || name.startsWith('AWS::')) return undefined;
    const supplied = this.facts.supplied;
    return supplied && Object.prototype.hasOwnProperty.call(supplied, name) ? supplied[name] : undefined;
  }
}

import ts from 'typescript';

/** Attributes whose value a person sees or hears: they must come from the message catalogue. */
const USER_VISIBLE_ATTRIBUTES = new Set([
  'alt',
  'label',
  'placeholder',
  'title',
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
]);

const LETTER = /\p{L}/u;

export interface LiteralUiText {
  line: number;
  text: string;
}

const VALUE_OPERATORS = new Set([
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
]);

/**
 * The string and template literals an expression can evaluate to (`a ? 'x' : 'y'`, `b && 'z'`,
 * `c ?? 'w'`): not those it compares (`status === 'ready'`) or passes to a call (`t('id')`).
 */
function literalsIn(node: ts.Expression, found: ts.Node[]): void {
  if (
    ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTemplateExpression(node)
  ) {
    found.push(node);
  } else if (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isNonNullExpression(node)
  ) {
    literalsIn(node.expression, found);
  } else if (ts.isConditionalExpression(node)) {
    literalsIn(node.whenTrue, found);
    literalsIn(node.whenFalse, found);
  } else if (ts.isBinaryExpression(node) && VALUE_OPERATORS.has(node.operatorToken.kind)) {
    literalsIn(node.left, found);
    literalsIn(node.right, found);
  } else if (ts.isArrayLiteralExpression(node)) {
    for (const element of node.elements) literalsIn(element, found);
  }
}

/**
 * Text written into a component instead of taken from the catalogue: JSX text, literals in JSX
 * children (`{ok ? 'Yes' : 'No'}`) and in user-visible attributes (`aria-label="Main"`,
 * `title={`…`}`). Text without a letter (`—`, `·`) is not language.
 */
export function findLiteralUiText(fileName: string, source: string): LiteralUiText[] {
  const file = ts.createSourceFile(
    fileName,
    source,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TSX,
  );
  const found: LiteralUiText[] = [];
  const report = (node: ts.Node, text: string) => {
    if (!LETTER.test(text)) return;
    const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
    found.push({ line: line + 1, text: text.trim() });
  };
  const reportLiterals = (expression: ts.Expression) => {
    const literals: ts.Node[] = [];
    literalsIn(expression, literals);
    for (const literal of literals) report(literal, literal.getText(file));
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node)) {
      report(node, node.getText(file));
    } else if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent)) {
      reportLiterals(node.expression);
    } else if (ts.isJsxAttribute(node)) {
      const name = node.name.getText(file);
      if (USER_VISIBLE_ATTRIBUTES.has(name) && node.initializer) {
        if (ts.isStringLiteral(node.initializer)) report(node, node.initializer.text);
        else if (ts.isJsxExpression(node.initializer) && node.initializer.expression) {
          reportLiterals(node.initializer.expression);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

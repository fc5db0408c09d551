package dev.slogate.promql;

import dev.slogate.promql.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * The grammar of an expression: binary operators with their bool, on/ignoring and group modifiers, unary signs,
 * parentheses, calls and aggregations; selectors and ranges are read by {@link Selectors} and {@link Ranges}.
 */
final class Parser {
    private final Tokens tokens;
    private final Selectors selectors;
    private final Ranges ranges;

    Parser(List<Token> tokens) {
        this.tokens = new Tokens(tokens);
        this.selectors = new Selectors(this.tokens);
        this.ranges = new Ranges(this.tokens);
    }

    Node parse() {
        if (tokens.peek().kind() == Kind.EOF) {
            throw new Failure(0, "the query is empty", "write a PromQL expression, e.g. sum(rate(http_requests_total[5m]))");
        }
        Node n = expression();
        Token t = tokens.peek();
        if (t.kind() != Kind.EOF) {
            throw tokens.unexpected(t, "after a complete expression");
        }
        return n;
    }

    private boolean isBinaryOperator(Token t) {
        return t.kind() == Kind.OP || t.kind() == Kind.IDENT && Operators.WORD_OPERATORS.contains(t.word());
    }

    private Node expression() {
        Node left = unary();
        while (isBinaryOperator(tokens.peek())) {
            Token op = tokens.next();
            if (left == Node.RANGE) {
                throw rangeOperand(op);
            }
            String opText = op.kind() == Kind.IDENT ? op.word() : op.text();
            if (tokens.peek().kind() == Kind.IDENT && tokens.peek().word().equals("bool")) {
                Token bool = tokens.next();
                if (!Operators.COMPARISONS.contains(opText)) {
                    throw new Failure(bool.start(), "bool applies to comparisons only, not to '" + opText + "'", "remove bool, or use ==, !=, >, <, >= or <=");
                }
            }
            if (tokens.peek().kind() == Kind.IDENT && (tokens.peek().word().equals("on") || tokens.peek().word().equals("ignoring"))) {
                tokens.next();
                selectors.labelList("on/ignoring");
                if (tokens.peek().kind() == Kind.IDENT && (tokens.peek().word().equals("group_left") || tokens.peek().word().equals("group_right"))) {
                    Token group = tokens.next();
                    if (Operators.SET_OPERATORS.contains(opText)) {
                        throw new Failure(group.start(), group.text() + " is not allowed with '" + opText + "'",
                                "and, or and unless match many-to-many already; remove " + group.text());
                    }
                    if (tokens.peek().kind() == Kind.LPAREN) {
                        selectors.labelList(group.word());
                    }
                }
            } else if (tokens.peek().kind() == Kind.IDENT && (tokens.peek().word().equals("group_left") || tokens.peek().word().equals("group_right"))) {
                throw new Failure(tokens.peek().start(), tokens.peek().text() + " needs on(...) or ignoring(...) before it",
                        "write e.g. x * on(instance) " + tokens.peek().word() + " y");
            }
            if (tokens.peek().kind() == Kind.EOF) {
                throw new Failure(op.start(), "the query ends with the binary operator '" + op.text() + "'",
                        "add its right-hand side (e.g. " + op.text() + " vector(0)) or remove the trailing '" + op.text() + "'");
            }
            Token right = tokens.peek();
            if (unary() == Node.RANGE) {
                throw rangeOperand(right);
            }
            left = Node.OTHER;
        }
        return left;
    }

    private static Failure rangeOperand(Token at) {
        return new Failure(at.start(), "a range vector such as x[5m] cannot be an operand of an operator",
                "turn it into an instant vector with a function: rate(x[5m]), increase(x[5m]), avg_over_time(x[5m])");
    }

    private Node unary() {
        if (tokens.peek().kind() == Kind.OP && (tokens.peek().text().equals("+") || tokens.peek().text().equals("-"))) {
            Token sign = tokens.next();
            if (tokens.peek().kind() == Kind.EOF) {
                throw new Failure(sign.start(), "the query ends with '" + sign.text() + "'", "complete the expression or remove the trailing '" + sign.text() + "'");
            }
            if (unary() == Node.RANGE) {
                throw rangeOperand(sign);
            }
            return Node.OTHER;
        }
        return postfix();
    }

    private Node postfix() {
        Node n = primary();
        boolean offset = false;
        boolean at = false;
        while (true) {
            Token t = tokens.peek();
            if (t.kind() == Kind.LBRACKET) {
                n = ranges.range(n, offset || at);
                offset = false;
                at = false;
            } else if (t.kind() == Kind.IDENT && t.word().equals("offset")) {
                requireModifiable(n, t, "offset");
                if (offset) {
                    throw new Failure(t.start(), "offset is given twice", "keep one offset");
                }
                tokens.next();
                if (tokens.peek().kind() == Kind.OP && (tokens.peek().text().equals("-") || tokens.peek().text().equals("+"))) {
                    tokens.next();
                }
                tokens.expect(Kind.DURATION, "a duration after offset", "write e.g. offset 5m or offset 1h30m");
                offset = true;
            } else if (t.kind() == Kind.AT) {
                requireModifiable(n, t, "@");
                if (at) {
                    throw new Failure(t.start(), "@ is given twice", "keep one @ modifier");
                }
                tokens.next();
                ranges.timestamp();
                at = true;
            } else {
                return n == Node.SELECTOR && (offset || at) ? Node.MODIFIED_SELECTOR : n;
            }
        }
    }

    private static void requireModifiable(Node n, Token t, String what) {
        if (n == Node.OTHER) {
            throw new Failure(t.start(), what + " must follow a selector, a range selector or a subquery",
                    "move it inside the call, e.g. rate(x[5m] " + (what.equals("@") ? "@ end()" : "offset 1h") + "), not after it");
        }
    }

    private Node primary() {
        Token t = tokens.peek();
        switch (t.kind()) {
            case NUMBER, STRING -> {
                tokens.next();
                return Node.OTHER;
            }
            case LPAREN -> {
                tokens.next();
                if (tokens.peek().kind() == Kind.RPAREN) {
                    throw new Failure(tokens.peek().start(), "empty parentheses ()", "put an expression inside, or remove them");
                }
                expression();
                closeParen(t, "parenthesis");
                return Node.OTHER;
            }
            case LBRACE -> {
                selectors.matchers(true);
                return Node.SELECTOR;
            }
            case IDENT -> {
                return identifier();
            }
            case DURATION -> throw new Failure(t.start(), "unexpected duration " + t.text() + " outside [ ] and offset",
                    "a duration goes in a range [5m], a subquery [5m:1m] or after offset; as a number of seconds write e.g. 300");
            case EOF -> throw new Failure(t.start(), "the query ends where an expression is expected", "complete the expression");
            default -> throw tokens.unexpected(t, "where an expression is expected");
        }
    }

    private void closeParen(Token open, String what) {
        Token t = tokens.peek();
        if (t.kind() == Kind.RPAREN) {
            tokens.next();
            return;
        }
        if (t.kind() == Kind.EOF) {
            throw new Failure(open.start(), "unclosed '(': this " + what + " is never closed", "add ')' where it ends");
        }
        if (t.kind() == Kind.COMMA) {
            throw new Failure(t.start(), "unexpected ',' inside parentheses that are not a call",
                    "a call is name(a, b); parentheses that only group hold one expression");
        }
        throw new Failure(t.start(), "expected ')' to close the '(' at character " + (open.start() + 1) + ", found " + t.describe(),
                "close the '(' before this, or join the parts with an operator");
    }

    private Node identifier() {
        Token name = tokens.next();
        String word = name.word();
        boolean aggregator = Operators.AGGREGATORS.contains(word) || Operators.PARAM_AGGREGATORS.contains(word);
        if (aggregator && (tokens.peek().kind() == Kind.LPAREN || isGrouping(tokens.peek()))) {
            aggregation(name);
            return Node.OTHER;
        }
        if (tokens.peek().kind() == Kind.LPAREN && !name.text().contains(":")) {
            arguments(name); // function names differ between Prometheus versions: the server judges them
            return Node.OTHER;
        }
        if (tokens.peek().kind() == Kind.LBRACE) {
            selectors.matchers(false);
        }
        return Node.SELECTOR;
    }

    private boolean isGrouping(Token t) {
        return t.kind() == Kind.IDENT && (t.word().equals("by") || t.word().equals("without"));
    }

    private void aggregation(Token name) {
        boolean grouped = false;
        if (isGrouping(tokens.peek())) {
            Token g = tokens.next();
            selectors.labelList(g.word());
            grouped = true;
        }
        if (tokens.peek().kind() != Kind.LPAREN) {
            throw new Failure(tokens.peek().start(), "expected '(' with the arguments of " + name.text() + ", found " + tokens.peek().describe(),
                    "write " + name.word() + " by (label) (expression)");
        }
        Token first = tokens.peek(1);
        List<Node> args = arguments(name);
        if (!args.isEmpty() && args.get(args.size() - 1) == Node.RANGE) {
            throw new Failure(args.size() == 1 ? first.start() : name.start(), name.word() + " aggregates instant vectors, not a range vector such as x[5m]",
                    "aggregate a function of the range: " + name.word() + "(rate(x[5m]))");
        }
        if (isGrouping(tokens.peek())) {
            Token g = tokens.next();
            if (grouped) {
                throw new Failure(g.start(), name.text() + " has two groupings", "keep one: " + name.word() + " by (a, b) (x)");
            }
            selectors.labelList(g.word());
        }
        int expected = Operators.PARAM_AGGREGATORS.contains(name.word()) ? 2 : 1;
        if (args.size() != expected) {
            throw new Failure(name.start(), name.word() + " takes " + expected + " argument" + (expected > 1 ? "s" : "") + ", found " + args.size(),
                    expected == 2 ? "write " + name.word() + "(" + (name.word().equals("count_values") ? "\"label\"" : name.word().equals("quantile") ? "0.9" : "5")
                            + ", expression)" : "write " + name.word() + "(expression), or " + name.word() + " by (label) (expression)");
        }
    }

    /** The arguments of a call, from its '(' to its ')'. */
    private List<Node> arguments(Token name) {
        Token open = tokens.next();
        List<Node> args = new ArrayList<>();
        if (tokens.peek().kind() == Kind.RPAREN) {
            tokens.next();
            return args;
        }
        while (true) {
            if (tokens.peek().kind() == Kind.EOF) {
                throw new Failure(open.start(), "unclosed '(' of " + name.text() + "(...)", "add ')' where its arguments end");
            }
            args.add(expression());
            Token t = tokens.peek();
            if (t.kind() == Kind.RPAREN) {
                tokens.next();
                return args;
            }
            if (t.kind() != Kind.COMMA) {
                if (t.kind() == Kind.EOF) {
                    throw new Failure(open.start(), "unclosed '(' of " + name.text() + "(...)", "add ')' where its arguments end");
                }
                throw new Failure(t.start(), "expected ',' or ')' in the arguments of " + name.text() + ", found " + t.describe(),
                        "separate arguments with commas and close the call with ')'");
            }
            tokens.next();
            if (tokens.peek().kind() == Kind.RPAREN) {
                throw new Failure(t.start(), "trailing ',' in the arguments of " + name.text(), "remove the last comma");
            }
        }
    }
}

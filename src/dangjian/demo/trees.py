"""Materialised paths computed in Python, so whole trees can go in with bulk_create.

treebeard's MP_Node stores each node's path as base-36 steps of `steplen` characters
("0001", "00010003", ...), its depth (= number of steps) and its number of children. This
builder assigns exactly those values for new nodes placed after the model's existing roots.
"""


class TreeBuilder:
    def __init__(self, model, sort_key=None):
        self.model = model
        self.sort_key = sort_key  # siblings are ordered by it (the model's node_order_by), else as added
        self.roots: list = []
        self.children: dict[int, list] = {}

    def add(self, node, parent=None):
        (self.roots if parent is None else self.children.setdefault(id(parent), [])).append(node)
        return node

    def _step(self, n: int) -> str:
        key = self.model._int2str(n)
        if len(key) > self.model.steplen:
            raise OverflowError(f"{self.model.__name__}: more than {len(self.model.alphabet) ** self.model.steplen - 1} siblings")
        return key.rjust(self.model.steplen, self.model.alphabet[0])

    def next_root_step(self) -> int:
        last = self.model.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
        return self.model._str2int(last) + 1 if last else 1

    def assign(self) -> list:
        """Set path, depth and numchild on every node; return all nodes in path order."""
        ordered = []

        def visit(nodes, prefix, depth, first):
            if self.sort_key:
                nodes = sorted(nodes, key=self.sort_key)
            for i, node in enumerate(nodes):
                node.path = prefix + self._step(first + i)
                node.depth = depth
                kids = self.children.get(id(node), [])
                node.numchild = len(kids)
                ordered.append(node)
                visit(kids, node.path, depth + 1, 1)

        visit(self.roots, "", 1, self.next_root_step())
        return ordered

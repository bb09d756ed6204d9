package fqt.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A graph that is not a DAG from the input to one output is refused, naming the tensor. */
class GraphErrorsTest {
    private static List<Layer> layers() {
        return List.of(new Flatten(), new Linear(16, 16), new ReLU(), new Add(), new Linear(16, 4));
    }

    @Test
    void aResidualGraphBuilds() {
        Model m = new Model(new int[] {1, 4, 4}, layers(), new int[][] {{0}, {1}, {2}, {1, 3}, {4}});
        assertFalse(m.sequential());
        assertEquals(2, m.readers(1).length, "tensor 1 fans out to the Linear and the Add");
        assertEquals(4, m.classes());
    }

    @Test
    void aCycleOrForwardReferenceNamesTheTensor() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Model(new int[] {1, 4, 4}, layers(), new int[][] {{0}, {1}, {2}, {1, 5}, {4}}));
        assertTrue(e.getMessage().contains("layer 3 (Add) reads tensor 5") && e.getMessage().contains("cycle"), e.getMessage());
    }

    @Test
    void aDanglingBranchNamesTheTensor() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Model(new int[] {1, 4, 4}, layers(), new int[][] {{0}, {1}, {1}, {1, 2}, {2}}));
        assertTrue(e.getMessage().contains("tensor 3") && e.getMessage().contains("read by no layer"), e.getMessage());
    }

    @Test
    void addNeedsOneShape() {
        Graph g = Graph.input(1, 4, 4);
        Graph.Node x = g.input().then(new Flatten());
        Graph.Node y = x.then(new Linear(16, 8));
        var e = assertThrows(IllegalArgumentException.class, () -> x.add(y));
        assertTrue(e.getMessage().contains("[16] and [8]"), e.getMessage());
    }

    @Test
    void theOutputMustBeTheLastLayer() {
        Graph g = Graph.input(1, 4, 4);
        Graph.Node x = g.input().then(new Flatten());
        x.then(new Linear(16, 4));
        var e = assertThrows(IllegalArgumentException.class, () -> g.build(x));
        assertTrue(e.getMessage().contains("last layer"), e.getMessage());
    }
}

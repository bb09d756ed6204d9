package fqt.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks NotebooksTest applies to executed notebooks, on notebooks written here. */
class NotebookOutputsTest {
    static String notebook(String outputs) {
        return "{\"cells\": [{\"cell_type\": \"markdown\", \"source\": [\"claim: not = 1\"]},"
                + " {\"cell_type\": \"code\", \"source\": [], \"outputs\": [" + outputs + "]}], \"nbformat\": 4}";
    }

    static String result(String text) {
        return "{\"output_type\": \"execute_result\", \"data\": {\"text/plain\": [" + text + "]}, \"metadata\": {}}";
    }

    @Test
    void cleanOutputsPassAndClaimsAreRead() {
        var out = NotebookOutputs.read(notebook(result("\"ram 272,000 B\\n\", \"claim: ram_bytes = 272000\\n\", \"claim: angle_0 = 1.904\\n\""
                + ", \"id 0f8fad5b-d9cb\"") + ", {\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": \"epoch 1/1 [====] 100%\\n\"}"));
        assertEquals(java.util.List.of(), out.problems());
        assertEquals(Map.of("ram_bytes", 272000.0, "angle_0", 1.904), out.claims(), "claims of outputs only, not of markdown");
    }

    @Test
    void uuidDjlCudaAndStderrAreProblems() {
        var out = NotebookOutputs.read(notebook(String.join(", ",
                result("\"0f8fad5b-d9cb-469f-a165-70867728950e\""),
                "{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": [\"[main] INFO ai.djl.pytorch.jni.LibUtils - Found cache\\n\"]}",
                "{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": \"[main] WARN ai.djl.util.cuda.CudaUtils - no GPU\\n\"}",
                "{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": \"W: CUDA driver version is insufficient\\n\"}",
                "{\"output_type\": \"stream\", \"name\": \"stderr\", \"text\": \"progress 10%\\n\"}")));
        assertEquals(5, out.problems().size(), String.join("\n", out.problems()));
        assertTrue(out.problems().get(0).contains("UUID"), out.problems().get(0));
        assertTrue(out.problems().get(1).contains("DJL") && out.problems().get(2).contains("DJL"), out.problems().toString());
        assertTrue(out.problems().get(3).contains("CUDA"), out.problems().get(3));
        assertTrue(out.problems().get(4).contains("stderr"), out.problems().get(4));
    }
}

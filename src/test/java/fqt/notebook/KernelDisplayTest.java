package fqt.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** What a notebook cell shows for a table or a text: the kernel's renderers, called as the kernel calls them. */
class KernelDisplayTest {
    @Test
    void numbersHaveFourSignificantDigitsAndGroupedThousands() {
        assertEquals("0.1667", KernelDisplay.number(1 / 6.0));
        assertEquals("12.35", KernelDisplay.number(12.3456));
        assertEquals("1,235", KernelDisplay.number(1234.56));
        assertEquals("874,432", KernelDisplay.number(874_432));
        assertEquals("0.5", KernelDisplay.number(0.5));
        assertEquals("-3", KernelDisplay.number(-3));
        assertEquals("1.235e-05", KernelDisplay.number(1.2345e-5));
        assertEquals("NaN", KernelDisplay.number(Double.NaN));
    }

    @Test
    void aTableShowsItsFirstRowsFormattedAndLeavesItsDataAlone() {
        Table t = Table.create("history").addColumns(StringColumn.create("precision"), LongColumn.create("samples"), DoubleColumn.create("loss"),
                StringColumn.create("status"));
        for (int i = 0; i < 187; i++) {
            t.stringColumn("precision").append("UINT8");
            t.longColumn("samples").append(16L * (i + 1));
            t.doubleColumn("loss").append(1 / 6.0);
            t.stringColumn("status").append(i == 1 ? "diverged" : "ok");
        }
        var renderer = new KernelDisplay().getDisplayRenderers().stream().filter(r -> r.rendererClass() == Table.class).findFirst().orElseThrow();
        String text = (String) renderer.render("text/plain", t).data().get("text/plain");
        String html = (String) renderer.render("text/html", t).data().get("text/html");
        String[] lines = text.split("\n");
        assertEquals("history", lines[0]);
        assertEquals(1 + 1 + KernelDisplay.PREVIEW_ROWS + 1, lines.length, text);
        assertEquals("UINT8" + " ".repeat(4 + 2 + 5) + "16  0.1667  ok", lines[2], "columns as wide as their header, numbers right-aligned");
        assertTrue(lines[lines.length - 1].contains("first 10 of 187 rows"), lines[lines.length - 1]);
        assertTrue(java.util.Arrays.stream(lines).noneMatch(l -> l.endsWith(" ")), "no trailing blanks:\n" + text);
        assertTrue(html.contains("<td style=\"text-align:right\">160</td>") && !html.contains("176"), html);
        assertEquals(1 / 6.0, t.doubleColumn("loss").get(0), "the data keep every digit");
    }

    @Test
    void textIsShownAsItIs() {
        var renderer = new KernelDisplay().getDisplayRenderers().stream().filter(r -> r.rendererClass() == Text.class).findFirst().orElseThrow();
        String s = "layer     scale\nconv 1  0.0123\n";
        assertEquals(s, renderer.render("text/plain", Text.text(s)).data().get("text/plain"));
        assertEquals("a 50 % b", Text.text("a %d %% %s", 50, "b").toString());
    }
}

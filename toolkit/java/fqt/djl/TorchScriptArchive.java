package fqt.djl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The contents of a TorchScript file (what {@code torch.jit.save} writes) that DJL does not expose:
 * a zip holding {@code <name>/code/__torch__/...py} (the modules' code), {@code <name>/data.pkl}
 * (the module tree: attributes, parameters and buffers) and {@code <name>/data/<key>} (raw
 * little-endian tensor storages). Everything is read and checked here, before libtorch sees the
 * file, so a truncated or corrupt file is an {@link ImportException}, never a native crash.
 */
final class TorchScriptArchive {
    final Path file;
    /** The module tree's root ({@code data.pkl}). */
    final Pickle.Obj root;
    private final Map<String, byte[]> entries;
    private final String prefix;

    private TorchScriptArchive(Path file, Map<String, byte[]> entries, String prefix, Pickle.Obj root) {
        this.file = file;
        this.entries = entries;
        this.prefix = prefix;
        this.root = root;
    }

    static TorchScriptArchive read(Path file) {
        if (!Files.isRegularFile(file)) throw new ImportException(file + ": no such file");
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                if (e.isDirectory()) continue;
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                // torch.jit.save stores its entries uncompressed, and ZipFile checks no CRC of a stored entry: we do.
                CRC32 crc = new CRC32();
                crc.update(bytes);
                if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    throw new ImportException(file + ": entry " + e.getName() + " is corrupt (its CRC-32 is " + Long.toHexString(crc.getValue())
                            + ", the archive says " + Long.toHexString(e.getCrc()) + "); the file was damaged after torch.jit.save");
                }
                if (!e.getName().endsWith(".debug_pkl")) entries.put(e.getName(), bytes);
            }
        } catch (ZipException e) {
            throw new ImportException(file + ": not a readable TorchScript file (a zip archive): " + e.getMessage()
                    + "; the file is truncated or corrupt, or not made by torch.jit.save", e);
        } catch (IOException e) {
            throw new ImportException(file + ": cannot be read: " + e.getMessage(), e);
        }
        // The records sit under one top-level folder, named after the file when it was saved.
        String pkl = entries.keySet().stream().filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length())
                .findFirst()
                .orElseThrow(() -> new ImportException(file + ": no <name>/data.pkl inside; not a TorchScript file"));
        String prefix = pkl.substring(0, pkl.length() - "data.pkl".length());
        if (entries.keySet().stream().noneMatch(n -> n.startsWith(prefix + "code/"))) {
            throw new ImportException(file + ": no code/ inside: a torch.save checkpoint or state_dict, not TorchScript;"
                    + " export with torch.jit.script(model).save(...) or torch.jit.trace");
        }
        Object root = Pickle.load(entries.get(pkl), file.getFileName() + ": " + pkl);
        if (!(root instanceof Pickle.Obj obj)) throw new ImportException(file + ": data.pkl does not hold a module");
        return new TorchScriptArchive(file, entries, prefix, obj);
    }

    /**
     * The source file of a TorchScript class: {@code __torch__.torch.nn.modules.conv.___torch_mangle_0}
     * is {@code code/__torch__/torch/nn/modules/conv/___torch_mangle_0.py}; null if absent.
     */
    String code(String module) {
        byte[] b = entries.get(prefix + "code/" + module.replace('.', '/') + ".py");
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** The float32 values of a tensor, read from its storage; {@code what} names it in errors. */
    float[] floats(Pickle.TensorRef t, String what) {
        if (!t.storage().type().equals("FloatStorage")) {
            throw new ImportException(file + ": " + what + " is a " + t.storage().type() + ", expected float32 (FloatStorage)");
        }
        long n = 1;
        for (long d : t.shape()) n *= d;
        long expected = 1;
        for (int i = t.shape().length - 1; i >= 0; i--) {
            if (t.shape()[i] > 1 && t.stride()[i] != expected) {
                throw new ImportException(file + ": " + what + " is not contiguous (strides " + Arrays.toString(t.stride()) + ")");
            }
            expected *= t.shape()[i];
        }
        String name = prefix + "data/" + t.storage().key();
        byte[] data = entries.get(name);
        if (data == null) throw new ImportException(file + ": " + what + " is stored in " + name + ", which is missing");
        if ((t.offset() + n) * 4 > data.length || t.offset() + n > t.storage().numel()) {
            throw new ImportException(file + ": " + name + " holds " + data.length + " bytes, too few for " + what
                    + " (" + n + " floats at offset " + t.offset() + "); the file is truncated or corrupt");
        }
        float[] out = new float[(int) n];
        ByteBuffer.wrap(data, (int) t.offset() * 4, (int) n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** The module at a dotted path from the root ("" is the root, "features.0" a child's child); null if absent. */
    Pickle.Obj module(String path) {
        Pickle.Obj m = root;
        if (path.isEmpty()) return m;
        for (String part : path.split("\\.")) {
            if (!(m.attributes().get(part) instanceof Pickle.Obj child)) return null;
            m = child;
        }
        return m;
    }
}

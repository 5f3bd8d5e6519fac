package io.dstream.mssql.emulator.cdc;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.util.JdbcUtils;
import org.h2.util.Utils;

/**
 * Gives every capture instance its own class for {@code CREATE ALIAS cdc.fn_cdc_get_all_changes_<ci>
 * FOR '<class>.allChanges'}: a copy of {@link BoundChangeFunctions} defined by a small class loader and
 * handed to H2 through its class-factory hook, so that the alias knows which instance it serves
 * without compiling Java source at run time.
 */
final class FunctionBinder {

    private static final String PREFIX = "io.dstream.mssql.emulator.cdc.bound.";
    private static final String TEMPLATE = BoundChangeFunctions.class.getName();
    private static final Map<String, Class<?>> BOUND = new ConcurrentHashMap<>();
    private static final Map<String, String> BY_INSTANCE = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static final byte[] TEMPLATE_BYTES = templateBytes();

    static {
        JdbcUtils.addClassFactory(new Utils.ClassFactory() {
            @Override
            public boolean match(String name) {
                return name.startsWith(PREFIX);
            }

            @Override
            public Class<?> loadClass(String name) throws ClassNotFoundException {
                Class<?> c = BOUND.get(name);
                if (c == null) {
                    throw new ClassNotFoundException(name + " (CDC function binding no longer exists)");
                }
                return c;
            }
        });
    }

    private FunctionBinder() {
    }

    /** The class name to use in {@code CREATE ALIAS ... FOR '<name>.allChanges'} for this capture instance. */
    static String classFor(String captureInstance) {
        return BY_INSTANCE.computeIfAbsent(captureInstance, FunctionBinder::define);
    }

    private static String define(String captureInstance) {
        String name = PREFIX + "i" + IDS.incrementAndGet();
        try {
            Class<?> c = new TemplateLoader(FunctionBinder.class.getClassLoader()).loadClass(TEMPLATE);
            c.getField("captureInstance").set(null, captureInstance);
            BOUND.put(name, c);
            return name;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot bind CDC functions of " + captureInstance, e);
        }
    }

    private static byte[] templateBytes() {
        String resource = BoundChangeFunctions.class.getSimpleName() + ".class";
        try (InputStream in = BoundChangeFunctions.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("class file " + resource + " not found");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** Defines its own copy of the template; everything else comes from the parent. */
    private static final class TemplateLoader extends ClassLoader {

        TemplateLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(TEMPLATE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = defineClass(name, TEMPLATE_BYTES, 0, TEMPLATE_BYTES.length);
                }
                return c;
            }
        }
    }
}

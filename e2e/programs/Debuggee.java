// A Java debuggee for the IDE-path e2e tests (the JetBrains bridge: IntelliJ's Application
// configuration under JDWP, with the env from the bridge):
//   java Debuggee URL ENV_NAME PORT
// prints one JSON line {"get": <body of GET URL>, "env": <$ENV_NAME>}, then serves HTTP on PORT
// (answering {"from": "local-java-debuggee", "path": …} from answer(), where the JDI test sets
// its breakpoint: the line marked below) and prints "serving".
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;

public class Debuggee {
    public static void main(String[] args) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(args[0]).openConnection();
        c.setConnectTimeout(20000);
        c.setReadTimeout(20000);
        String body;
        try (InputStream in = c.getInputStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        System.out.println("{\"get\":" + quote(body) + ",\"env\":" + quote(System.getenv().getOrDefault(args[1], "")) + "}");
        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(args[2])), 0);
        server.createContext("/", exchange -> {
            byte[] out = answer(exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        System.out.println("serving");
    }

    static String answer(String path) {
        String reply = "{\"from\":\"local-java-debuggee\",\"path\":" + quote(path) + "}"; // jdwp breakpoint here
        System.out.println("got " + path);
        return reply;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
                    else b.append(ch);
                }
            }
        }
        return b.append('"').toString();
    }
}

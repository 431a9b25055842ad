// A Java program for end-to-end tests of `mirrord exec` (java Probe.java, Java 17):
//   Probe get URL | env NAME | read PATH | serve PORT
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class Probe {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "get" -> {
                HttpURLConnection c = (HttpURLConnection) new URL(args[1]).openConnection();
                c.setConnectTimeout(20000);
                try (InputStream in = c.getInputStream()) {
                    System.out.print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            case "env" -> System.out.print(System.getenv().getOrDefault(args[1], ""));
            case "read" -> System.out.print(Files.readString(Path.of(args[1])));
            case "serve" -> {
                HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(args[1])), 0);
                server.createContext("/", exchange -> {
                    String peer = exchange.getRemoteAddress().getAddress().getHostAddress();
                    System.out.println("got " + exchange.getRequestURI().getPath() + " from " + peer);
                    byte[] body = ("{\"from\":\"local-java\",\"peer\":\"" + peer + "\",\"path\":\"" + exchange.getRequestURI().getPath() + "\"}").getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
                server.start();
                System.out.println("serving");
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}

package dev.lumen;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Spring Boot web application; started by {@code lumen serve}. */
@SpringBootApplication
public class LumenApplication {

}

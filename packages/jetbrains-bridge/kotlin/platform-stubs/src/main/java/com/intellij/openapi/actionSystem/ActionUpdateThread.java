// Signature stub, checked against intellij-community platform/editor-ui-api/src/com/intellij/openapi/actionSystem/ActionUpdateThread.java
package com.intellij.openapi.actionSystem;

public enum ActionUpdateThread { BGT, EDT, OLD_EDT }
